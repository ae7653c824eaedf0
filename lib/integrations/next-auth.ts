import "server-only";
import type { AuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { limitClient } from "../http/rate-limit";
import { assertSameSite } from "../http/same-site";
import { ceremonyCookie } from "../session/cookie";
import { isVaultError, type Vault } from "../vault";
import { getVault } from "../vault/instance";

/**
 * Passkeys for an app on next-auth (v4): a Credentials provider named "passkey". The browser runs
 * the usual ceremony against this app's routes (lib/passkey-client: authorize → the authenticator
 * → verify, which answers a single-use code), then calls next-auth's `signIn("passkey", { code })`
 * (lib/integrations/next-auth-client.ts). Here, `authorize` redeems that code with the vault and
 * returns the user; next-auth then issues its own session.
 *
 * The vault creates no session of its own for it (`vault.redeemCodeForService`): the two session
 * systems stay apart. A next-auth session is a JWT that cannot be revoked before it expires and has
 * no step-up, so the app's own pages (requireSession) never accept it; see README "next-auth".
 */

export const PASSKEY_PROVIDER_ID = "passkey";
/** The name the vault records the sign-in under: "Signed in to next-auth" in the account's activity. */
const SERVICE = "next-auth";
/** next-auth's pages (sign-in, sign-out, errors) are this app page: next-auth's own inline-styled pages would break the CSP. */
export const NEXT_AUTH_PAGE = "/examples/next-auth";
/** A next-auth JWT session cannot be revoked: keep it short. next-auth renews it while it is in use. */
const SESSION_MAX_AGE_SECONDS = 24 * 60 * 60;
const MIN_SECRET_LENGTH = 32;

declare module "next-auth" {
  interface User {
    /** Whether the passkey ceremony verified the person (PIN, biometrics), from the vault. */
    userVerified?: boolean;
    /** Seconds since the epoch: when the passkey ceremony happened. */
    authTime?: number;
    /**
     * Whether the owner confirmed the email (OIDC's claim name). Not `emailVerified`: next-auth's
     * adapter users already have one, a Date, and the jwt callback sees both kinds of user.
     */
    email_verified?: boolean;
  }
  interface Session {
    /** `emailVerified` false: the email proves nothing; never link accounts by it. */
    user: { id: string; email: string; emailVerified: boolean; name?: string | null };
    userVerified: boolean;
    authTime: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uv?: boolean;
    auth_time?: number;
    email_verified?: boolean;
  }
}

export interface PasskeyProviderOptions {
  /** The vault that redeems the code: the app's own by default. */
  vault?: Vault;
  /** Counts one code exchange for this request: the app's `RATE_LIMIT_CODE_EXCHANGES`, per address, by default. */
  limit?: (headers: Headers) => Promise<void>;
}

/**
 * The "passkey" Credentials provider. `authorize(credentials, req)` takes `credentials.code` and
 * returns the user, or null (next-auth answers `CredentialsSignin`) for a code that is malformed,
 * used, expired, unknown, or not this browser's. Other refusals are thrown as their tag
 * ("@error/RateLimited", "@error/Forbidden", "@error/Unavailable"): next-auth hands a thrown
 * message to the browser as `error`, so nothing but a tag may ever be thrown from here.
 */
export function passkeyProvider({ vault = getVault(), limit = (headers) => limitClient(headers, "codeExchanges") }: PasskeyProviderOptions = {}) {
  return CredentialsProvider({
    id: PASSKEY_PROVIDER_ID,
    name: "Passkey",
    credentials: { code: { label: "Sign-in code from a passkey ceremony", type: "text" } },
    async authorize(credentials, req): Promise<User | null> {
      // The request as next-auth hands it over (App Router and Pages Router alike): the browser's
      // own request, so its headers carry the ceremony cookie the code is bound to.
      const headers = new Headers(req.headers as Record<string, string>);
      try {
        // next-auth checks its CSRF token; the app's own same-site rule and rate limit apply as
        // for every other code exchange (app/login/actions.ts signIn).
        assertSameSite(headers, vault.origin);
        await limit(headers);
        const principal = await vault.redeemCodeForService(credentials?.code, SERVICE, {
          browserBinding: readCookie(headers.get("cookie"), ceremonyCookie(vault).name),
          userAgent: headers.get("user-agent"),
        });
        return {
          id: principal.userId,
          email: principal.email,
          email_verified: principal.emailVerified,
          name: principal.displayName || null,
          userVerified: principal.userVerified,
          authTime: principal.authTime,
        };
      } catch (error) {
        if (isVaultError(error) && (error.kind === "InvalidCode" || error.kind === "BadRequest")) return null;
        if (isVaultError(error) && error.kind !== "Unavailable") throw new Error(error.tag);
        console.warn("[passkeys] next-auth: the passkey sign-in failed", error);
        throw new Error("@error/Unavailable");
      }
    },
  });
}

/**
 * This app's next-auth configuration, for the route (app/api/auth/[...nextauth]) and for
 * `getServerSession`. Built on each use, not at import, so `next build` needs no secrets.
 * `provider`: as for passkeyProvider (tests pass their own vault and limiter).
 */
export function nextAuthOptions(provider: PasskeyProviderOptions = {}): AuthOptions {
  const vault = provider.vault ?? getVault();
  followAppOrigin(vault.origin);
  return {
    secret: nextAuthSecret(),
    providers: [passkeyProvider({ ...provider, vault })],
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Secure cookies (__Secure-/__Host- names) exactly when the app is on https, as its own are.
    useSecureCookies: vault.origin.startsWith("https://"),
    pages: { signIn: NEXT_AUTH_PAGE, signOut: NEXT_AUTH_PAGE, error: NEXT_AUTH_PAGE },
    callbacks: {
      // The sign-in's facts ride in next-auth's JWT (sub = the vault's user id, set by next-auth).
      // Absent means false: an email nobody vouched for is never taken as confirmed.
      jwt({ token, user }) {
        if (user) {
          token.uv = user.userVerified ?? false;
          token.auth_time = user.authTime;
          token.email_verified = user.email_verified ?? false;
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: { id: token.sub!, email: token.email!, emailVerified: token.email_verified ?? false, name: token.name },
          userVerified: token.uv ?? false,
          authTime: token.auth_time ?? 0,
        };
      },
    },
  };
}

/**
 * NEXTAUTH_SECRET encrypts next-auth's session JWTs (JWE). Required, and never AUTH_SECRET: next-auth
 * would otherwise fall back to AUTH_SECRET, which keeps the vault's signing keys; one leak should
 * not give away both. `npm run setup` writes one to .env.
 */
function nextAuthSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET ?? "";
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`NEXTAUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (npm run setup writes one to .env)`);
  }
  if (secret === process.env.AUTH_SECRET) throw new Error("NEXTAUTH_SECRET must differ from AUTH_SECRET");
  return secret;
}

/**
 * next-auth v4 reads its own origin from NEXTAUTH_URL (or, on Vercel, from the request's forwarded
 * host). The passkeys are bound to APP_ORIGIN, so next-auth follows it: unset, NEXTAUTH_URL becomes
 * APP_ORIGIN; set to another origin, next-auth would send people (and its cookies) where no passkey
 * works, which is refused.
 */
export function followAppOrigin(origin: string): void {
  const configured = process.env.NEXTAUTH_URL;
  if (!configured) {
    process.env.NEXTAUTH_URL = origin;
    return;
  }
  if (new URL(configured).origin !== origin) {
    throw new Error(`NEXTAUTH_URL (${configured}) must be on APP_ORIGIN (${origin}); leave it unset to follow APP_ORIGIN`);
  }
}

/** One cookie's value from a Cookie header, or undefined. */
function readCookie(header: string | null, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}
