// The next-auth integration (lib/integrations/next-auth.ts) through next-auth's own request handler
// (NextAuth(req, res, options), as a Pages Router API route mounts it; the App Router route reaches
// the same core, but only inside a Next.js request): its CSRF round trip, the "passkey" provider's
// authorize with codes from real soft-authenticator ceremonies, the session cookie it sets, and the
// vault rows behind it. Real database (SQLite, and PostgreSQL with TEST_POSTGRES_URL), real limiter.
import NextAuth from "next-auth";
import { decode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientAddress } from "../../lib/http/client-address";
import { followAppOrigin, nextAuthOptions } from "../../lib/integrations/next-auth";
import { loadRateLimitConfig } from "../../lib/vault/config";
import { randomToken } from "../../lib/vault/random";
import { createRateLimiter } from "../../lib/vault/rate-limit";
import { testProviders } from "../support/test-db";
import { ORIGIN, TEST_ENV, expectVaultError, signUp, signUpConfirmed, useVault } from "../support/vault-harness";

const NEXTAUTH_SECRET = "vitest-next-auth-only-secret-0123456789abcdef";
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
/** Exchanges allowed per address in these tests (production default: 30 per 5 minutes). */
const EXCHANGES = 4;

beforeEach(() => {
  vi.stubEnv("NEXTAUTH_SECRET", NEXTAUTH_SECRET);
  vi.stubEnv("AUTH_SECRET", TEST_ENV.AUTH_SECRET);
  vi.stubEnv("NEXTAUTH_URL", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

type Cookies = Record<string, string>;

/** A Set-Cookie header's name and (decoded) value. */
function cookieValue(setCookie: string): [string, string] {
  const pair = setCookie.split(";")[0]!;
  const at = pair.indexOf("=");
  return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
}

/** Calls next-auth's handler as a Pages Router API route; answers what it wrote to the response. */
async function call(req: object, options: ReturnType<typeof nextAuthOptions>) {
  const written = { status: 200, body: undefined as unknown, setCookies: [] as string[] };
  const res = {
    status: (status: number) => ((written.status = status), res),
    getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? written.setCookies : undefined),
    setHeader: (name: string, value: string | string[]) => {
      if (name.toLowerCase() === "set-cookie") written.setCookies = [value].flat();
      return res;
    },
    json: (body: unknown) => ((written.body = body), res),
    send: (body: unknown) => ((written.body = body), res),
    end: () => res,
  };
  await NextAuth(req as never, res as never, options);
  // The cookies it set, as name → value, for the next request.
  const cookies: Cookies = Object.fromEntries(written.setCookies.map((cookie) => cookieValue(cookie)));
  return { ...written, cookies };
}

describe.each(testProviders())("next-auth's passkey provider (%s)", (provider) => {
  const t = useVault(provider);
  let address = 0;

  /** next-auth's options as the route builds them, with this test's vault and a real limiter on its database. */
  function options() {
    const limiter = createRateLimiter(t.db, loadRateLimitConfig({ RATE_LIMIT_CODE_EXCHANGES: `${EXCHANGES}/300` }), TEST_ENV.AUTH_SECRET);
    return nextAuthOptions({ vault: t.vault, limit: (headers) => limiter.hit("codeExchanges", clientAddress(headers, "x-real-ip")) });
  }

  /** A browser: its ceremony cookie, its own address (so tests do not share a rate-limit budget). */
  function newBrowser() {
    return { binding: randomToken(), ip: `203.0.113.${++address}` };
  }
  type Browser = ReturnType<typeof newBrowser>;

  /** A fresh account (its email confirmed if asked), then a login ceremony started by `browser` (or by no browser): its code. */
  async function signInCode(browser: Browser | null, overrides: { userVerified?: boolean } = {}, { confirmed = false } = {}) {
    const { authenticator, email, principal } = confirmed ? await signUpConfirmed(t.vault) : await signUp(t.vault);
    const { token, options: request } = await t.vault.authorizeAuthentication({}, undefined, browser?.binding);
    const response = await authenticator.authenticate(request, overrides);
    const { code } = await t.vault.verifyAuthentication({ token, response });
    return { code, email, userId: principal.userId, appSession: principal.token };
  }

  /** What next-auth's signIn("passkey", { code, redirect: false }) sends from `browser`: csrf, then the callback. */
  async function nextAuthSignIn(browser: Browser | null, code: unknown, { origin = ORIGIN } = {}) {
    const authOptions = options();
    const request = (action: string[], method: string, cookies: Cookies, body?: object) => ({
      method,
      query: { nextauth: action },
      body,
      cookies: { ...cookies, ...(browser ? { ceremony: browser.binding } : {}) },
      headers: {
        host: new URL(ORIGIN).host,
        origin,
        "user-agent": USER_AGENT,
        "x-real-ip": browser?.ip ?? "198.51.100.1",
        cookie: Object.entries({ ...cookies, ...(browser ? { ceremony: browser.binding } : {}) })
          .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
          .join("; "),
      },
    });
    const csrf = await call(request(["csrf"], "GET", {}), authOptions);
    const { csrfToken } = csrf.body as { csrfToken: string };
    const callbackUrl = `${ORIGIN}/examples/next-auth`;
    const answer = await call(request(["callback", "passkey"], "POST", csrf.cookies, { code, csrfToken, callbackUrl, json: "true" }), authOptions);
    const { url } = answer.body as { url: string };
    const session = answer.setCookies.find((cookie) => cookie.startsWith("next-auth.session-token="));
    return {
      status: answer.status,
      error: new URL(url).searchParams.get("error"),
      session: session ? { value: cookieValue(session)[1], header: session } : undefined,
    };
  }

  const readSession = async (token: string) => decode({ token, secret: NEXTAUTH_SECRET });

  /** What getServerSession / useSession see: next-auth's session endpoint, with its session cookie. */
  async function sessionOf(sessionToken: string) {
    const cookies = { "next-auth.session-token": sessionToken };
    const headers = { host: new URL(ORIGIN).host, cookie: `next-auth.session-token=${encodeURIComponent(sessionToken)}` };
    return (await call({ method: "GET", query: { nextauth: ["session"] }, cookies, headers }, options())).body;
  }

  it("signs the browser that ran the ceremony in to next-auth, with the user and the UV flag, and creates no vault session", async () => {
    const browser = newBrowser();
    const { code, email, userId } = await signInCode(browser);
    const sessions = await t.db.session.count();

    const answer = await nextAuthSignIn(browser, code);

    expect(answer.error).toBeNull();
    expect(answer.session).toBeDefined();
    const claims = await readSession(answer.session!.value);
    expect(claims).toMatchObject({ sub: userId, email, name: "Test Person", uv: true, email_verified: false });
    expect(claims!.auth_time).toBeGreaterThan(Date.now() / 1000 - 60);
    // next-auth's own session only: not one row more in the vault's sessions.
    expect(await t.db.session.count()).toBe(sessions);
  });

  it("says whether the email was confirmed, in next-auth's JWT and its session's user: false until the owner confirms it", async () => {
    // An app with an OAuth provider beside this one must not link accounts by an unconfirmed email.
    const browser = newBrowser();
    const unconfirmed = await nextAuthSignIn(browser, (await signInCode(browser)).code);
    expect(await readSession(unconfirmed.session!.value)).toMatchObject({ email_verified: false });
    expect(await sessionOf(unconfirmed.session!.value)).toMatchObject({ user: { emailVerified: false } });

    const { code, email, userId } = await signInCode(browser, {}, { confirmed: true });
    const confirmed = await nextAuthSignIn(browser, code);
    expect(await readSession(confirmed.session!.value)).toMatchObject({ email_verified: true });
    expect(await sessionOf(confirmed.session!.value)).toMatchObject({ user: { id: userId, email, emailVerified: true } });
  });

  it("sets next-auth's session cookie HttpOnly, SameSite=Lax, not Secure on http://localhost", async () => {
    const browser = newBrowser();
    const { session } = await nextAuthSignIn(browser, (await signInCode(browser)).code);
    const attributes = session!.header.split(";").slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
    expect(attributes).not.toContain("secure");
  });

  it("passes through a ceremony that did not verify the user as uv: false", async () => {
    const browser = newBrowser();
    const { code } = await signInCode(browser, { userVerified: false });
    const { session } = await nextAuthSignIn(browser, code);
    expect(await readSession(session!.value)).toMatchObject({ uv: false });
  });

  it("refuses a code the second time", async () => {
    const browser = newBrowser();
    const { code } = await signInCode(browser);
    expect((await nextAuthSignIn(browser, code)).session).toBeDefined();

    const again = await nextAuthSignIn(browser, code);
    expect(again).toMatchObject({ status: 401, error: "CredentialsSignin", session: undefined });
  });

  it("refuses a code in another browser, and leaves it unspent for the one that ran the ceremony", async () => {
    const owner = newBrowser();
    const { code } = await signInCode(owner);

    const elsewhere = await nextAuthSignIn(newBrowser(), code);
    expect(elsewhere).toMatchObject({ status: 401, error: "CredentialsSignin", session: undefined });
    const noCookie = await nextAuthSignIn(null, code);
    expect(noCookie).toMatchObject({ status: 401, error: "CredentialsSignin", session: undefined });

    expect((await nextAuthSignIn(owner, code)).session).toBeDefined();
  });

  it("refuses an unbound code (a ceremony no browser started), which the app's own signIn would take", async () => {
    const { code } = await signInCode(null);
    expect(await nextAuthSignIn(newBrowser(), code)).toMatchObject({ error: "CredentialsSignin", session: undefined });
    await expect(t.vault.exchangeCode(code)).resolves.toHaveProperty("token");
  });

  it("refuses garbage, a missing code and a step-up code", async () => {
    const browser = newBrowser();
    for (const code of ["garbage", "", randomToken(), undefined]) {
      expect(await nextAuthSignIn(browser, code)).toMatchObject({ status: 401, error: "CredentialsSignin", session: undefined });
    }
    // A step-up code of a signed-in session, from its own browser: only sign-in codes redeem here.
    const stepUpBrowser = newBrowser();
    const { authenticator, principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options: request } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session, stepUpBrowser.binding);
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(request) }, session);
    expect(await nextAuthSignIn(stepUpBrowser, code)).toMatchObject({ error: "CredentialsSignin", session: undefined });
    await expect(t.vault.reauthenticate(code, session, { browserBinding: stepUpBrowser.binding })).resolves.toHaveProperty("token");
  });

  it("refuses a cross-site request before it counts or redeems anything", async () => {
    const browser = newBrowser();
    const { code } = await signInCode(browser);
    const crossSite = await nextAuthSignIn(browser, code, { origin: "https://evil.example" });
    expect(crossSite).toMatchObject({ error: "@error/Forbidden", session: undefined });
    expect((await nextAuthSignIn(browser, code)).session).toBeDefined();
  });

  it("counts every exchange against the address's code-exchange limit; over it, the code stays unspent", async () => {
    const browser = newBrowser();
    const { code } = await signInCode(browser);
    for (let i = 0; i < EXCHANGES; i++) expect((await nextAuthSignIn(browser, "garbage")).error).toBe("CredentialsSignin");

    expect(await nextAuthSignIn(browser, code)).toMatchObject({ error: "@error/RateLimited", session: undefined });
    // The same browser from another address (a new budget) still can: nothing was spent.
    expect((await nextAuthSignIn({ ...browser, ip: "192.0.2.200" }, code)).session).toBeDefined();
  });

  it("records the sign-in in the account's activity as next-auth's, with the browser", async () => {
    const browser = newBrowser();
    const { code, appSession } = await signInCode(browser);
    await nextAuthSignIn(browser, code);
    // What the owner sees on /account: the newest event, naming the service and the browser.
    const [event] = await t.vault.listSecurityEvents(await t.vault.authenticateSession(appSession));
    expect(event).toMatchObject({ type: "signed_in", userAgent: USER_AGENT, details: { service: "next-auth", method: "authentication" } });
  });

  it("gives a next-auth session token no standing with the vault: it is not an app session", async () => {
    const browser = newBrowser();
    const { session } = await nextAuthSignIn(browser, (await signInCode(browser)).code);
    await expectVaultError(t.vault.authenticateSession(session!.value), "Unauthenticated");
    await expectVaultError(t.vault.verifySessionToken(session!.value), "Unauthenticated");
  });
});

describe("next-auth's configuration", () => {
  it("follows APP_ORIGIN when NEXTAUTH_URL is unset, and refuses one on another origin", () => {
    followAppOrigin("https://app.example");
    expect(process.env.NEXTAUTH_URL).toBe("https://app.example");
    vi.stubEnv("NEXTAUTH_URL", "https://app.example/api/auth");
    expect(() => followAppOrigin("https://app.example")).not.toThrow();
    vi.stubEnv("NEXTAUTH_URL", "https://other.example");
    expect(() => followAppOrigin("https://app.example")).toThrow(/NEXTAUTH_URL .* must be on APP_ORIGIN/);
  });

  it("needs its own NEXTAUTH_SECRET: missing, short or AUTH_SECRET's value is refused", async () => {
    const { createVault, loadVaultConfig } = await import("../../lib/vault");
    const vault = createVault({} as never, loadVaultConfig(TEST_ENV));
    for (const secret of ["", "short", TEST_ENV.AUTH_SECRET]) {
      vi.stubEnv("NEXTAUTH_SECRET", secret);
      expect(() => nextAuthOptions({ vault })).toThrow(/NEXTAUTH_SECRET/);
    }
    vi.stubEnv("NEXTAUTH_SECRET", NEXTAUTH_SECRET);
    expect(nextAuthOptions({ vault })).toMatchObject({ secret: NEXTAUTH_SECRET, useSecureCookies: false });
  });

  it("uses Secure cookies (__Secure- and __Host- names) exactly when APP_ORIGIN is https", async () => {
    const { createVault, loadVaultConfig } = await import("../../lib/vault");
    const vault = createVault({} as never, loadVaultConfig({ ...TEST_ENV, APP_ORIGIN: "https://app.example" }));
    const csrf = await call({ method: "GET", query: { nextauth: ["csrf"] }, cookies: {}, headers: { host: "app.example" } }, nextAuthOptions({ vault }));
    expect(process.env.NEXTAUTH_URL).toBe("https://app.example");
    const [setCookie] = csrf.setCookies;
    expect(setCookie).toMatch(/^__Host-next-auth\.csrf-token=/);
    expect(setCookie!.split(";").map((a) => a.trim().toLowerCase())).toEqual(expect.arrayContaining(["httponly", "secure", "path=/"]));
  });
});
