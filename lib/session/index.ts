import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import {
  VaultError,
  isVaultError,
  type Account,
  type Principal,
  type RecoveryGrant,
  type RecoverySession,
  type Session,
  type SessionContext,
} from "../vault";
import { getVault } from "../vault/instance";
import { randomToken } from "../vault/random";
import { ceremonyCookie, recoveryCookie, sessionCookie } from "./cookie";
import { loginPath } from "./next-path";

/**
 * The data layer's session check. Every page, route handler and server action that touches user
 * data calls one of these: proxy.ts only makes the common case fast, it is not the boundary.
 */

/** The live session, or null. Verifies the JWT and that its session row is not revoked or expired. */
export const getSession = cache(async (): Promise<Session | null> => {
  // Cookies first: it marks the page as per-request, so `next build` never prerenders it.
  const jar = await cookies();
  const vault = getVault();
  const token = jar.get(sessionCookie(vault).name)?.value;
  if (!token) return null;
  try {
    return await vault.authenticateSession(token);
  } catch (error) {
    if (isVaultError(error) && error.kind === "Unauthenticated") return null;
    throw error;
  }
});

/** The signed-in person's account, or null: read once per request, however many components ask. */
export const getSignedInAccount = cache(async (): Promise<Account | null> => {
  const session = await getSession();
  return session ? getVault().getAccount(session) : null;
});

/**
 * What the vault needs to know about the browser redeeming a code: its ceremony cookie (the code
 * must come from a ceremony this browser started) and its User-Agent (to name the session).
 */
export async function requestContext(): Promise<SessionContext> {
  const binding = (await cookies()).get(ceremonyCookie(getVault()).name)?.value;
  return { userAgent: (await headers()).get("user-agent"), browserBinding: binding };
}

const CEREMONY_BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * For the authorize routes: this browser's ceremony cookie, created when it has none, its lifetime
 * renewed either way. One value per browser, not per ceremony, so the autofill request and a
 * button press on the same page both stay redeemable.
 */
export async function ceremonyBinding(): Promise<string> {
  const jar = await cookies();
  const cookie = ceremonyCookie(getVault());
  const current = jar.get(cookie.name)?.value;
  const binding = current && CEREMONY_BINDING.test(current) ? current : randomToken();
  jar.set(cookie.name, binding, cookie.options);
  return binding;
}

/**
 * The session this browser's cookie names, when its JWT verifies; null otherwise. No database
 * read: only for revoking it, where the signature is what matters (it proves the cookie was issued
 * for that session) and revoking a row that has already ended changes nothing.
 */
async function signedSessionId(): Promise<string | null> {
  const vault = getVault();
  const token = (await cookies()).get(sessionCookie(vault).name)?.value;
  if (!token) return null;
  try {
    return (await vault.verifySessionToken(token)).sid;
  } catch (error) {
    if (isVaultError(error) && error.kind === "Unauthenticated") return null;
    throw error;
  }
}

/**
 * Sign-in, step-up and sign-out all replace this browser's session: the current one (if any) is
 * revoked, so a copied cookie stops working everywhere, and the cookie is overwritten with the
 * same attributes it was set with (a __Host- cookie is only replaced by one that is Secure with Path=/).
 */
async function replaceSession(token: string, expires: Date): Promise<void> {
  const vault = getVault();
  const current = await signedSessionId();
  if (current) await vault.revokeSession(current);
  const cookie = sessionCookie(vault);
  (await cookies()).set(cookie.name, token, { ...cookie.options, expires });
}

/** After sign-in or step-up: the new session's cookie, and the end of the session it replaces. */
export const startSession = (principal: Principal) =>
  replaceSession(principal.token, new Date(principal.expiresAt * 1000));

/** Ends this browser's session from a server action: revokes the row and clears the cookie. */
export const endSession = () => replaceSession("", new Date(0));

/**
 * For the sign-out route: revokes this browser's session row if it can. A database failure is
 * logged, not thrown: the caller clears the cookie whatever happens, so the browser is signed out
 * even when the row cannot be revoked right now.
 */
export async function revokeCurrentSession(): Promise<void> {
  try {
    const current = await signedSessionId();
    if (current) await getVault().revokeSession(current);
  } catch (error) {
    console.warn("[passkeys] sign-out could not revoke the session row; the cookie is cleared anyway", error);
  }
}

/** For pages: the live session, or a redirect to the login page that comes back to `returnTo`. */
export async function requireSession(returnTo = "/"): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(loginPath(returnTo));
  return session;
}

/** For route handlers and server actions: the live session, or a typed `@error/Unauthenticated`. */
export async function requireApiSession(): Promise<Session> {
  const session = await getSession();
  if (!session) throw new VaultError("Unauthenticated", "Sign in first.");
  return session;
}

/**
 * For sensitive route handlers and server actions (adding or deleting a passkey, changing the
 * email, signing out other sessions, deleting the account): a live session whose last ceremony
 * verified the user within the step-up window, or `@error/ReauthenticationRequired`, which the
 * browser client answers by running step-up and retrying. (The vault checks it again itself.)
 */
export async function requireRecentVerification(): Promise<Session> {
  const session = await requireApiSession();
  getVault().assertRecentlyVerified(session);
  return session;
}

/** After a recovery code: the recovery session's own cookie (never the session cookie). */
export async function startRecovery(grant: RecoveryGrant): Promise<void> {
  const cookie = recoveryCookie(getVault());
  (await cookies()).set(cookie.name, grant.token, { ...cookie.options, expires: grant.expiresAt });
}

/** Clears the recovery cookie (the session itself is spent by the vault when recovery finishes). */
export async function endRecovery(): Promise<void> {
  const cookie = recoveryCookie(getVault());
  (await cookies()).set(cookie.name, "", { ...cookie.options, maxAge: 0, expires: new Date(0) });
}

/** For recovery's own routes only: the live recovery session, or `@error/Unauthenticated`. */
export async function requireRecoverySession(): Promise<RecoverySession> {
  const token = (await cookies()).get(recoveryCookie(getVault()).name)?.value;
  if (!token) throw new VaultError("Unauthenticated", "This recovery has ended. Ask for a new code to try again.");
  return getVault().authenticateRecoverySession(token);
}
