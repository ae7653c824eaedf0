// The route contract over real HTTP, against the built app: the software authenticator plays the
// browser, so every request and answer is visible. Those tests need no page, so they use
// Playwright's own `test`; the few that need a signed-in browser use the fixture's (browserTest).
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createLocalJWKSet, jwtVerify } from "jose";
import { SoftAuthenticator } from "../test/support/soft-authenticator";
import { test as browserTest } from "./fixtures";
import { E2E_ORIGIN } from "./support/database";
import { callAction } from "./support/server-actions";

const ORIGIN = E2E_ORIGIN;
const json = { "Content-Type": "application/json", Origin: ORIGIN };

let counter = 0;
const uniqueEmail = () => `api.${Date.now()}.${++counter}@example.com`;

const post = (request: APIRequestContext, path: string, data: unknown, headers: Record<string, string> = json) =>
  // Strings go as raw bytes: Playwright would JSON-encode a string under a JSON content type.
  request.post(path, { headers, data: typeof data === "string" ? Buffer.from(data) : JSON.stringify(data) });

async function expectError(response: APIResponse, status: number, tag: string, code?: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const body = await response.json();
  expect(body.error.tag).toBe(tag);
  if (code) expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  return body.error;
}

async function registerOverHttp(request: APIRequestContext, authenticator: SoftAuthenticator, email = uniqueEmail()) {
  const start = await post(request, "/api/passkey/registration/authorize", { email });
  expect(start.status()).toBe(200);
  const { token, options } = await start.json();
  const { response, credential } = await authenticator.register(options);
  const verify = await post(request, "/api/passkey/registration/verify", { token, response });
  expect(verify.status()).toBe(200);
  return { email, credential, code: (await verify.json()).code as string };
}

test("registration and login run over HTTP with a software authenticator", async ({ request }) => {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const { code, email } = await registerOverHttp(request, authenticator);
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

  for (const body of [{}, { email }]) {
    const start = await post(request, "/api/passkey/authentication/authorize", body);
    const { token, options } = await start.json();
    const response = await authenticator.authenticate(options);
    const verify = await post(request, "/api/passkey/authentication/verify", { token, response });
    expect(verify.status()).toBe(200);
    expect(Object.keys(await verify.json())).toEqual(["code"]);
    // The same response again: the token is spent.
    const replay = await post(request, "/api/passkey/authentication/verify", { token, response });
    await expectError(replay, 401, "@error/InvalidToken", "INVALID_TOKEN");
  }
});

test("a response made for another origin is refused with 401 @error/Verification", async ({ request }) => {
  const start = await post(request, "/api/passkey/registration/authorize", { email: uniqueEmail() });
  const { token, options } = await start.json();
  const phished = new SoftAuthenticator({ origin: "https://evil.example" });
  const { response } = await phished.register({ ...options, rp: { ...options.rp, id: "evil.example" } });
  await expectError(await post(request, "/api/passkey/registration/verify", { token, response }), 401, "@error/Verification");
});

test("an unknown credential is 404 @error/OrphanedPasskey with its id and the RP ID", async ({ request }) => {
  const stranger = new SoftAuthenticator({ origin: ORIGIN });
  await stranger.register({
    challenge: "AAAA",
    rp: { id: "localhost", name: "x" },
    user: { id: "dXNlcg", name: "u", displayName: "u" },
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
  });
  const start = await post(request, "/api/passkey/authentication/authorize", {});
  const { token, options } = await start.json();
  const response = await stranger.authenticate(options);
  const error = await expectError(await post(request, "/api/passkey/authentication/verify", { token, response }), 404, "@error/OrphanedPasskey", "ORPHANED_PASSKEY");
  expect(error.credentialId).toBe(stranger.credentials[0]!.id);
  expect(error.rpId).toBe("localhost");
});

test("a taken email is 409 @error/DuplicateAccount", async ({ request }) => {
  const { email } = await registerOverHttp(request, new SoftAuthenticator({ origin: ORIGIN }));
  await expectError(await post(request, "/api/passkey/registration/authorize", { email }), 409, "@error/DuplicateAccount");
});

test.describe("bad requests get a typed 4xx", () => {
  const route = "/api/passkey/authentication/authorize";

  test("wrong content type: 415", async ({ request }) => {
    await expectError(await post(request, route, "{}", { "Content-Type": "text/plain", Origin: ORIGIN }), 415, "@error/BadRequest", "UNSUPPORTED_MEDIA_TYPE");
  });

  test("form posts (what a cross-site form can send): 415", async ({ request }) => {
    const response = await request.post(route, { form: { email: "a@example.com" }, headers: { Origin: ORIGIN } });
    await expectError(response, 415, "@error/BadRequest");
  });

  test("oversized body: 413", async ({ request }) => {
    await expectError(await post(request, route, { email: "x".repeat(70_000) }), 413, "@error/BadRequest", "PAYLOAD_TOO_LARGE");
  });

  test("malformed JSON: 400", async ({ request }) => {
    await expectError(await post(request, route, "{not json"), 400, "@error/BadRequest", "MALFORMED_JSON");
  });

  test("unknown field: 400 naming it", async ({ request }) => {
    const error = await expectError(await post(request, route, { emial: "a@example.com" }), 400, "@error/BadRequest");
    expect(error.field).toBe("emial");
  });

  test("another site's Origin: 403", async ({ request }) => {
    await expectError(await post(request, route, {}, { ...json, Origin: "https://evil.example" }), 403, "@error/Forbidden");
  });

  test("adding a passkey without a session: 401", async ({ request }) => {
    await expectError(await post(request, "/api/passkey/registration/authorize", {}), 401, "@error/Unauthenticated");
  });
});

test("the JWKS publishes public signing keys only", async ({ request }) => {
  const response = await request.get("/.well-known/jwks.json");
  expect(response.status()).toBe(200);
  const { keys } = await response.json();
  expect(keys.length).toBeGreaterThanOrEqual(1);
  for (const key of keys) {
    expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(typeof key.kid).toBe("string");
    expect(Object.keys(key).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
  }
});

browserTest.describe("with a browser session", () => {
  let email: string;

  // Sign in through the real server action: register in the browser with the virtual authenticator.
  browserTest.beforeEach(async ({ page }) => {
    email = uniqueEmail();
    await page.goto("/register");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Create account with a passkey" }).click();
    await expect(page).toHaveURL("/account");
  });

  browserTest("the session cookie is a JWT that verifies against the JWKS", async ({ page, request }) => {
    const cookie = (await page.context().cookies()).find((c) => c.name === "session");
    const jwks = await (await request.get("/.well-known/jwks.json")).json();
    const { payload, protectedHeader } = await jwtVerify(cookie!.value, createLocalJWKSet(jwks), {
      issuer: ORIGIN,
      audience: ORIGIN,
      algorithms: ["RS256"],
      typ: "session+jwt",
      requiredClaims: ["sub", "sid", "auth_time", "uv", "jti", "exp", "iat"],
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.uv).toBe(true);
    expect(cookie!.expires).toBeCloseTo(payload.exp!, -1);
  });

  browserTest("{} starts adding a passkey to the session's account, never another's", async ({ page }) => {
    // page.request carries the browser's cookies: the account comes from the session only.
    const response = await post(page.request, "/api/passkey/registration/authorize", {});
    expect(response.status()).toBe(200);
    const { options } = await response.json();
    expect(options.excludeCredentials).toHaveLength(1);
    expect(options.user.name).toBe(email);
  });
});

test("the login redirect for protected pages ignores a forged Host header", async ({ request }) => {
  const response = await request.get("/account", { headers: { Host: "evil.example" }, maxRedirects: 0 });
  expect(response.status()).toBe(307);
  const location = response.headers()["location"]!;
  expect(location).not.toContain("evil.example");
  expect(new URL(location, ORIGIN).href).toBe(`${ORIGIN}/login?next=%2Faccount`);
});

test("a code signs in only the browser that ran its ceremony (the ceremony cookie)", async ({ playwright }) => {
  const browserA = await playwright.request.newContext({ baseURL: ORIGIN });
  const browserB = await playwright.request.newContext({ baseURL: ORIGIN });
  try {
    const start = await post(browserA, "/api/passkey/registration/authorize", { email: uniqueEmail() });
    const setCookie = (await start.headersArray()).find((h) => h.name.toLowerCase() === "set-cookie")?.value ?? "";
    expect(setCookie).toMatch(/^ceremony=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const { token, options } = await start.json();
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options);
    const { code } = await (await post(browserA, "/api/passkey/registration/verify", { token, response })).json();

    // Phished or copied into another browser, the code is refused there, and stays usable at home.
    expect(await callAction(browserB, "signIn", [code, "/account"], { page: "/login" })).toMatchObject({ error: { tag: "@error/InvalidCode" } });
    expect(await callAction(browserA, "signIn", [code, "/account"], { page: "/login" })).toMatchObject({ ok: true });
  } finally {
    await browserA.dispose();
    await browserB.dispose();
  }
});
