// The principal API over real HTTP: a relying backend (a request context with no cookies and no
// Origin, as a server sends) redeems the sign-in code a browser got, with an API key made by the
// real CLI against the e2e database.
import { execFileSync } from "node:child_process";
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { SoftAuthenticator } from "../test/support/soft-authenticator";
import { E2E_DATABASE, E2E_ORIGIN, expireCode } from "./support/database";
import { uniqueEmail } from "./support/flows";
import { callAction } from "./support/server-actions";

const ID_TOKEN_AUDIENCE = "https://backend.example"; // playwright.config.ts
const browserJson = { "Content-Type": "application/json", Origin: E2E_ORIGIN };

function apikey(...args: string[]): string {
  return execFileSync(process.execPath, ["scripts/apikey.mjs", ...args], {
    env: { ...process.env, DATABASE_URL: E2E_DATABASE.url },
    encoding: "utf8",
  });
}

function createKey(name: string): { id: string; key: string } {
  const key = /^(pkv\.\S+)$/m.exec(apikey("create", name))![1]!;
  return { id: key.split(".")[1]!, key };
}

const contexts: APIRequestContext[] = [];
let backend: APIRequestContext;
let apiKey: string;

test.beforeAll(async () => {
  apiKey = createKey("e2e backend").key;
  backend = await request.newContext({ baseURL: E2E_ORIGIN });
  contexts.push(backend);
});
test.afterAll(async () => Promise.all(contexts.map((context) => context.dispose())));

/** A browser (its own cookie jar, so its ceremony cookie binds the code) registers; returns its code. */
async function browserCode(): Promise<{ code: string; email: string; browser: APIRequestContext }> {
  const browser = await request.newContext({ baseURL: E2E_ORIGIN });
  contexts.push(browser);
  const email = uniqueEmail("principal");
  const start = await browser.post("/api/passkey/registration/authorize", { headers: browserJson, data: JSON.stringify({ email }) });
  const { token, options } = await start.json();
  const { response } = await new SoftAuthenticator({ origin: E2E_ORIGIN }).register(options);
  const verify = await browser.post("/api/passkey/registration/verify", { headers: browserJson, data: JSON.stringify({ token, response }) });
  return { code: (await verify.json()).code, email, browser };
}

/** The backend's call: no Origin, no cookies. */
const redeem = (code: unknown, key: string | null = apiKey) =>
  backend.post("/api/passkey/principal", {
    headers: { "Content-Type": "application/json", ...(key === null ? {} : { Authorization: `Bearer ${key}` }) },
    data: JSON.stringify({ code }),
  });

async function expectError(response: APIResponse, status: number, tag: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect((await response.json()).error.tag).toBe(tag);
}

test("a good key redeems a browser's code once: the principal, an id_token, no-store, no CORS", async () => {
  const { code, email } = await browserCode();
  const response = await redeem(code);
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(Object.keys(response.headers()).filter((name) => name.startsWith("access-control-"))).toEqual([]);
  const principal = await response.json();
  expect(Object.keys(principal).sort()).toEqual(["authTime", "email", "emailVerified", "expiresAt", "id_token", "passkeyId", "userId", "userVerified"]);
  // Just signed up, never confirmed: the email proves nothing yet, and the principal says so.
  expect(principal).toMatchObject({ email, emailVerified: false, userVerified: true });

  const jwks = createLocalJWKSet(await (await backend.get("/.well-known/jwks.json")).json());
  const { payload, protectedHeader } = await jwtVerify(principal.id_token, jwks, {
    issuer: E2E_ORIGIN,
    audience: ID_TOKEN_AUDIENCE,
    typ: "id+jwt",
    algorithms: ["RS256"],
  });
  expect(protectedHeader.typ).toBe("id+jwt");
  expect(payload).toMatchObject({ sub: principal.userId, email, email_verified: false, uv: true, auth_time: principal.authTime, exp: principal.expiresAt });

  await expectError(await redeem(code), 401, "@error/InvalidCode");
});

test("a wrong, missing or revoked key is 401 @error/Unauthenticated, and the code stays unspent", async () => {
  const { code } = await browserCode();
  const revoked = createKey("to be revoked");
  expect(apikey("revoke", revoked.id)).toContain(`Revoked API key ${revoked.id}`);
  const wrong = `pkv.${revoked.id.replace(/^./, (c) => (c === "a" ? "b" : "a"))}.${"A".repeat(43)}`;
  for (const key of [revoked.key, wrong, apiKey.slice(0, -1) + (apiKey.endsWith("A") ? "B" : "A"), null]) {
    await expectError(await redeem(code, key), 401, "@error/Unauthenticated");
  }
  expect((await redeem(code)).status()).toBe(200);
});

test("an expired code is 401 @error/InvalidCode", async () => {
  const { code } = await browserCode();
  expect(await expireCode(code)).toBe(1);
  await expectError(await redeem(code), 401, "@error/InvalidCode");
});

test("parallel redemptions of one code: exactly one wins", async () => {
  const { code } = await browserCode();
  const responses = await Promise.all(Array.from({ length: 5 }, () => redeem(code)));
  expect(responses.map((response) => response.status()).sort()).toEqual([200, 401, 401, 401, 401]);
});

test("another site's page cannot call it", async () => {
  const { code } = await browserCode();
  const response = await backend.post("/api/passkey/principal", {
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}`, Origin: "https://evil.example" },
    data: JSON.stringify({ code }),
  });
  await expectError(response, 403, "@error/Forbidden");
});

test.describe("id_token and session JWT cannot stand in for each other", () => {
  test("an id_token is not a session cookie", async () => {
    const { code } = await browserCode();
    const { id_token } = await (await redeem(code)).json();
    const attacker = await request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: { Cookie: `session=${id_token}` } });
    contexts.push(attacker);
    // Adding a passkey needs a session: the id_token is not one.
    const add = await attacker.post("/api/passkey/registration/authorize", { headers: browserJson, data: "{}" });
    await expectError(add, 401, "@error/Unauthenticated");
    const page = await attacker.get("/account", { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers()["location"]).toContain("/login");
  });

  test("a session JWT is not an id_token, nor an API key", async () => {
    const { code, browser } = await browserCode();
    expect(await callAction(browser, "signIn", [code, "/account"], { page: "/login" })).toMatchObject({ ok: true });
    const session = (await browser.storageState()).cookies.find((cookie) => cookie.name === "session")!.value;
    expect(decodeProtectedHeader(session).typ).toBe("session+jwt");
    const jwks = createLocalJWKSet(await (await backend.get("/.well-known/jwks.json")).json());
    await expect(jwtVerify(session, jwks, { issuer: E2E_ORIGIN, audience: ID_TOKEN_AUDIENCE, typ: "id+jwt", algorithms: ["RS256"] })).rejects.toThrow();
    // The code is spent by the sign-in; presenting the session as a key is refused before that matters.
    await expectError(await redeem(code, session), 401, "@error/Unauthenticated");
  });
});
