// examples/verify-jwt against a JWKS served by this test: the vault's own published keys (real
// session JWTs and id_tokens) plus keys the test controls (to forge the tokens it must refuse, and
// to rotate one in).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../../examples/verify-jwt/server.mjs";
import { createVault, loadVaultConfig, type Vault } from "../../lib/vault";
import { createApiKey } from "../../lib/vault/api-keys";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { createTestDb, type TestDb } from "../support/test-db";
import { TEST_ENV, signUp } from "../support/vault-harness";

const ID_AUDIENCE = "https://backend.example";

describe("examples/verify-jwt", () => {
  let testDb: TestDb;
  let vault: Vault;
  let origin: string;
  let jwksServer: http.Server;
  let jwksFetches = 0;
  /** Keys published next to the vault's: the test's own, to sign tokens with. */
  const extraKeys: JWK[] = [];
  const services: http.Server[] = [];

  beforeAll(async () => {
    jwksServer = http.createServer(async (request, response) => {
      if (request.url !== "/.well-known/jwks.json") return void response.writeHead(404).end();
      jwksFetches++;
      const { keys } = await vault.jwks();
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ keys: [...keys, ...extraKeys] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    // The vault's issuer is this server's origin, so the example finds the keys where `iss` says.
    origin = `http://localhost:${(jwksServer.address() as AddressInfo).port}`;
    testDb = await createTestDb("sqlite");
    vault = createVault(testDb.db, loadVaultConfig({ ...TEST_ENV, APP_ORIGIN: origin, ID_TOKEN_AUDIENCE: ID_AUDIENCE }));
  });
  afterAll(async () => {
    for (const server of [jwksServer, ...services]) server.close();
    await testDb.drop();
  });

  async function service(options: { typ?: string; audience?: string; cooldownDuration?: number } = {}) {
    const server = createServer({ origin, ...options });
    services.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return async (token: string) => {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      return { status: response.status, body: (await response.json()) as { sub?: string } };
    };
  }

  async function ownKey(kid: string, publish = true) {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    if (publish) extraKeys.push({ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" });
    return privateKey;
  }

  /** A token like the vault's session JWT, signed by `key`, with `changes` to header and claims. */
  function forge(key: CryptoKey, kid: string, { header = {}, claims = {} }: { header?: object; claims?: object } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sid: "s", uv: true, auth_time: now, iss: origin, aud: origin, sub: "user-1", iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: "RS256", kid, typ: "session+jwt", ...header })
      .sign(key);
  }

  it("accepts a real session JWT and forged-but-correctly-signed tokens only when every pinned claim matches", async () => {
    // Published before the service's first fetch: within the cooldown it would not fetch again.
    const key = await ownKey("test-1");
    const verify = await service();
    const { principal } = await signUp(vault, new SoftAuthenticator({ origin }));
    expect(await verify(principal.token)).toEqual({ status: 200, body: expect.objectContaining({ sub: principal.userId }) });

    expect((await verify(await forge(key, "test-1"))).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      expired: await forge(key, "test-1", { claims: { iat: now - 700, exp: now - 60 } }),
      "no exp": await forge(key, "test-1", { claims: { exp: undefined } }),
      "wrong audience": await forge(key, "test-1", { claims: { aud: "https://other.example" } }),
      "wrong issuer": await forge(key, "test-1", { claims: { iss: "https://evil.example" } }),
      "wrong typ": await forge(key, "test-1", { header: { typ: "JWT" } }),
      "foreign key, published kid": await forge(await ownKey("test-1", false), "test-1"),
      "foreign key, unknown kid": await forge(await ownKey("foreign", false), "foreign"),
      "alg none": unsigned({ alg: "none", typ: "session+jwt", kid: "test-1" }, { iss: origin, aud: origin, sub: "user-1", iat: now, exp: now + 600 }),
      "alg HS256": await new SignJWT({ sub: "user-1" })
        .setProtectedHeader({ alg: "HS256", kid: "test-1", typ: "session+jwt" })
        .setIssuer(origin).setAudience(origin).setIssuedAt().setExpirationTime("5m")
        .sign(new TextEncoder().encode("a".repeat(32))),
    };
    for (const [name, token] of Object.entries(refused)) {
      expect((await verify(token)).status, name).toBe(401);
    }
  });

  it("keeps session JWTs and id_tokens apart by typ and audience", async () => {
    const { authenticator, principal } = await signUp(vault, new SoftAuthenticator({ origin }));
    const { token, options } = await vault.authorizeAuthentication({});
    const { code } = await vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    const { id_token } = await vault.redeemCodeForBackend((await createApiKey(testDb.db, "example")).key, { code });

    const sessions = await service();
    const idTokens = await service({ typ: "id+jwt", audience: ID_AUDIENCE });
    expect((await sessions(id_token)).status).toBe(401);
    expect((await idTokens(principal.token)).status).toBe(401);
    expect(await idTokens(id_token)).toEqual({ status: 200, body: expect.objectContaining({ sub: principal.userId }) });
  });

  it("by default, pins the app's default audiences: an id_token for APP_ORIGIN#id_token, a session for APP_ORIGIN", async () => {
    // A vault on the same keys with nothing configured: its id_tokens carry the default audience.
    const defaults = createVault(testDb.db, loadVaultConfig({ ...TEST_ENV, APP_ORIGIN: origin }));
    const { authenticator, principal } = await signUp(defaults, new SoftAuthenticator({ origin }));
    const { token, options } = await defaults.authorizeAuthentication({});
    const { code } = await defaults.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    const { id_token } = await defaults.redeemCodeForBackend((await createApiKey(testDb.db, "defaults")).key, { code });

    const idTokens = await service({ typ: "id+jwt" });
    expect(await idTokens(id_token)).toEqual({
      status: 200,
      body: expect.objectContaining({ claims: expect.objectContaining({ aud: `${origin}#id_token`, email_verified: false }) }),
    });
    expect((await idTokens(principal.token)).status).toBe(401);
    expect((await (await service())(principal.token)).status).toBe(200);
  });

  it("survives a key rotation: an unknown kid re-fetches the keys, at most once per cooldown", async () => {
    const verify = await service({ cooldownDuration: 200 });
    const first = await ownKey("before-rotation");
    expect((await verify(await forge(first, "before-rotation"))).status).toBe(200);

    // Made-up kids within one cooldown: one re-fetch at most.
    const stranger = await ownKey("made-up", false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const before = jwksFetches;
    for (let i = 0; i < 10; i++) expect((await verify(await forge(stranger, `made-up-${i}`))).status).toBe(401);
    expect(jwksFetches - before).toBeLessThanOrEqual(1);

    // The app rotates a key in; after the cooldown, its first token triggers the re-fetch and verifies.
    const rotated = await ownKey("after-rotation");
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await verify(await forge(rotated, "after-rotation"))).status).toBe(200);
  });
});

function unsigned(header: object, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.`;
}
