import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "../../lib/vault/api-keys";
import { hashToken, randomToken } from "../../lib/vault/random";
import { testProviders } from "../support/test-db";
import { ORIGIN, expectVaultError, newAuthenticator, signUp, signUpConfirmed, useVault } from "../support/vault-harness";

const AUDIENCE = "https://backend.example";

describe.each(testProviders())("the principal API's vault half (%s)", (provider) => {
  const t = useVault(provider, { ID_TOKEN_AUDIENCE: AUDIENCE });

  /** A fresh account (its email confirmed if asked) and a sign-in code its browser (`binding`) got from a login. */
  async function signInCode(binding?: string, { confirmed = false } = {}) {
    const { authenticator, email, principal } = confirmed ? await signUpConfirmed(t.vault) : await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({}, undefined, binding);
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    return { code, email, userId: principal.userId, passkeyId: principal.passkeyId };
  }

  const newKey = async (name = "backend") => (await createApiKey(t.db, name)).key;

  describe("API keys", () => {
    it("stores only the key's SHA-256 and answers with its id and name", async () => {
      const { id, key } = await createApiKey(t.db, "  billing  ");
      expect(key).toMatch(new RegExp(`^pkv\\.${id}\\.[A-Za-z0-9_-]{43}$`));
      const row = await t.db.apiKey.findUniqueOrThrow({ where: { id } });
      expect(row.hash).toBe(hashToken(key));
      expect(JSON.stringify(row)).not.toContain(key.split(".")[2]);
      await expect(authenticateApiKey(t.db, key)).resolves.toEqual({ id, name: "billing" });
      expect((await t.db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();
    });

    it("refuses a wrong secret under a real id, an unknown id, a malformed key and a revoked key alike", async () => {
      const { id, key } = await createApiKey(t.db, "x");
      for (const wrong of [`pkv.${id}.${randomToken()}`, `pkv.${crypto.randomUUID()}.${randomToken()}`, "nonsense", undefined, key + "x"]) {
        const error = await expectVaultError(authenticateApiKey(t.db, wrong), "Unauthenticated");
        expect(error.message).toBe("The API key is not valid.");
      }
      expect(await revokeApiKey(t.db, id)).toBe(true);
      expect(await revokeApiKey(t.db, id)).toBe(false);
      await expectVaultError(authenticateApiKey(t.db, key), "Unauthenticated");
      expect((await listApiKeys(t.db)).find((k) => k.id === id)?.revokedAt).toBeInstanceOf(Date);
    });

    it("refuses an empty or control-character name", async () => {
      await expectVaultError(createApiKey(t.db, "   "), "BadRequest");
      await expectVaultError(createApiKey(t.db, "a\nb"), "BadRequest");
    });
  });

  describe("redeemCodeForBackend", () => {
    it("gives the principal once, with an id_token and no session", async () => {
      const apiKey = await newKey();
      const { code, email, userId, passkeyId } = await signInCode();
      const sessions = await t.db.session.count();
      const principal = await t.vault.redeemCodeForBackend(apiKey, { code });
      expect(principal).toMatchObject({ userId, email, passkeyId, userVerified: true });
      expect(principal.sessionId).toBeUndefined();
      expect(await t.db.session.count()).toBe(sessions);
      const claims = await t.vault.verifyIdToken(principal.id_token);
      expect(claims).toMatchObject({ sub: userId, email, uv: true, auth_time: principal.authTime, exp: principal.expiresAt });
      expect(claims.exp - claims.iat).toBe(300);
      await expectVaultError(t.vault.redeemCodeForBackend(apiKey, { code }), "InvalidCode");
      await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
    });

    it("says whether the email was confirmed, in the principal and its id_token: false until the owner confirms it", async () => {
      // Anyone can sign up with someone else's address: a backend linking accounts by email must see this.
      const apiKey = await newKey();
      const unconfirmed = await t.vault.redeemCodeForBackend(apiKey, { code: (await signInCode()).code });
      expect(unconfirmed).toMatchObject({ emailVerified: false });
      expect(JSON.parse(JSON.stringify(unconfirmed))).toHaveProperty("emailVerified", false);
      expect(await t.vault.verifyIdToken(unconfirmed.id_token)).toMatchObject({ email_verified: false });

      const confirmed = await t.vault.redeemCodeForBackend(apiKey, { code: (await signInCode(undefined, { confirmed: true })).code });
      expect(JSON.parse(JSON.stringify(confirmed))).toHaveProperty("emailVerified", true);
      expect(await t.vault.verifyIdToken(confirmed.id_token)).toMatchObject({ email_verified: true });
    });

    it("checks the key before the code: a wrong or revoked key leaves the code unspent", async () => {
      const { code } = await signInCode();
      const { id, key } = await createApiKey(t.db, "soon revoked");
      await revokeApiKey(t.db, id);
      await expectVaultError(t.vault.redeemCodeForBackend(key, { code }), "Unauthenticated");
      await expectVaultError(t.vault.redeemCodeForBackend(undefined, { code }), "Unauthenticated");
      await expectVaultError(t.vault.redeemCodeForBackend(undefined, "not even a body"), "Unauthenticated");
      await expect(t.vault.redeemCodeForBackend(await newKey(), { code })).resolves.toHaveProperty("id_token");
    });

    it("redeems a browser-bound code on the browser's behalf; the binding still holds for other browsers", async () => {
      const browser = randomToken();
      const first = await signInCode(browser);
      await expectVaultError(t.vault.exchangeCode(first.code, { browserBinding: randomToken() }), "InvalidCode");
      await expect(t.vault.redeemCodeForBackend(await newKey(), { code: first.code })).resolves.toHaveProperty("email", first.email);
      // Without the key, the binding is the rule: a cookieless exchange of a bound code fails.
      const second = await signInCode(browser);
      await expectVaultError(t.vault.exchangeCode(second.code), "InvalidCode");
    });

    it("refuses an expired code, a step-up code and a malformed body", async () => {
      const apiKey = await newKey();
      const { code } = await signInCode();
      await t.db.code.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1) } });
      await expectVaultError(t.vault.redeemCodeForBackend(apiKey, { code }), "InvalidCode");

      const { authenticator, principal } = await signUp(t.vault);
      const session = await t.vault.authenticateSession(principal.token);
      const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
      const stepUp = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
      await expectVaultError(t.vault.redeemCodeForBackend(apiKey, { code: stepUp.code }), "InvalidCode");

      await expectVaultError(t.vault.redeemCodeForBackend(apiKey, { code: "short" }), "BadRequest");
      await expectVaultError(t.vault.redeemCodeForBackend(apiKey, { code: stepUp.code, extra: 1 }), "BadRequest");
    });

    it("lets exactly one of two concurrent redemptions win", async () => {
      const apiKey = await newKey();
      const { code } = await signInCode();
      const results = await Promise.allSettled([
        t.vault.redeemCodeForBackend(apiKey, { code }),
        t.vault.redeemCodeForBackend(apiKey, { code }),
        t.vault.exchangeCode(code),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("records the sign-in with the key's id", async () => {
      const { id, key } = await createApiKey(t.db, "audited");
      const { code, userId } = await signInCode();
      await t.vault.redeemCodeForBackend(key, { code });
      const event = await t.db.securityEvent.findFirstOrThrow({ where: { userId, type: "signed_in" }, orderBy: { createdAt: "desc" } });
      expect(JSON.parse(event.details)).toMatchObject({ apiKeyId: id, method: "authentication" });
      expect(event.details).not.toContain(key);
    });
  });

  // Through next-auth's own handler: test/integrations/next-auth.test.ts.
  describe("redeemCodeForService", () => {
    const browser = randomToken();

    it("answers who signed in and how, once, for the browser that ran the ceremony, and creates no session", async () => {
      const { code, email, userId, passkeyId } = await signInCode(browser);
      const sessions = await t.db.session.count();
      const principal = await t.vault.redeemCodeForService(code, "next-auth", { browserBinding: browser, userAgent: "Test/1" });
      expect(principal).toEqual({
        userId,
        email,
        emailVerified: false,
        displayName: "Test Person",
        passkeyId,
        userVerified: true,
        authTime: expect.any(Number),
      });
      expect(await t.db.session.count()).toBe(sessions);
      await expectVaultError(t.vault.redeemCodeForService(code, "next-auth", { browserBinding: browser }), "InvalidCode");
    });

    it("says whether the email was confirmed: true only once the owner has confirmed it", async () => {
      const confirmed = await signInCode(browser, { confirmed: true });
      await expect(t.vault.redeemCodeForService(confirmed.code, "next-auth", { browserBinding: browser })).resolves.toHaveProperty("emailVerified", true);
    });

    it("refuses another browser's code, an unbound code and no cookie at all; each stays unspent", async () => {
      const bound = await signInCode(browser);
      for (const browserBinding of [randomToken(), undefined, ""]) {
        await expectVaultError(t.vault.redeemCodeForService(bound.code, "next-auth", { browserBinding }), "InvalidCode");
      }
      const unbound = await signInCode();
      await expectVaultError(t.vault.redeemCodeForService(unbound.code, "next-auth", { browserBinding: browser }), "InvalidCode");
      await expect(t.vault.redeemCodeForService(bound.code, "next-auth", { browserBinding: browser })).resolves.toHaveProperty("userId");
      await expect(t.vault.exchangeCode(unbound.code)).resolves.toHaveProperty("token");
    });

    it("refuses a malformed code as BadRequest, and a service name that is not a short name as a bug", async () => {
      await expectVaultError(t.vault.redeemCodeForService("short", "next-auth", { browserBinding: browser }), "BadRequest");
      const { code } = await signInCode(browser);
      await expect(t.vault.redeemCodeForService(code, "Next Auth <b>", { browserBinding: browser })).rejects.toThrow(/service/);
      await expect(t.vault.redeemCodeForService(code, "next-auth", { browserBinding: browser })).resolves.toHaveProperty("userId");
    });

    it("records the sign-in with the service's name and the browser", async () => {
      const { code, userId } = await signInCode(browser);
      await t.vault.redeemCodeForService(code, "next-auth", { browserBinding: browser, userAgent: "Test/1" });
      const event = await t.db.securityEvent.findFirstOrThrow({ where: { userId, type: "signed_in" }, orderBy: { createdAt: "desc" } });
      expect(JSON.parse(event.details)).toMatchObject({ service: "next-auth", method: "authentication", userVerified: true });
      expect(event.userAgent).toBe("Test/1");
    });
  });

  it("refuses, for a backend and for a service, a code held back from a passkey deleted since", async () => {
    const browser = randomToken();
    const { authenticator, principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const added = await t.vault.authorizeRegistration({}, session);
    await t.vault.verifyRegistration({ token: added.token, response: (await newAuthenticator().register(added.options)).response });
    const heldCode = async (binding?: string) => {
      const { token, options } = await t.vault.authorizeAuthentication({}, undefined, binding);
      return (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code;
    };
    const forBackend = await heldCode();
    const forService = await heldCode(browser);
    await t.vault.deletePasskey(session, principal.passkeyId);
    const signedIn = await t.db.securityEvent.count({ where: { userId: principal.userId, type: "signed_in" } });
    await expectVaultError(t.vault.redeemCodeForBackend(await newKey(), { code: forBackend }), "InvalidCode");
    await expectVaultError(t.vault.redeemCodeForService(forService, "next-auth", { browserBinding: browser }), "InvalidCode");
    expect(await t.db.securityEvent.count({ where: { userId: principal.userId, type: "signed_in" } })).toBe(signedIn);
  });

  describe("id_token and session JWT cannot stand in for each other", () => {
    it("an id_token is never a session", async () => {
      const { code } = await signInCode();
      const { id_token } = await t.vault.redeemCodeForBackend(await newKey(), { code });
      expect(decodeProtectedHeader(id_token).typ).toBe("id+jwt");
      await expectVaultError(t.vault.verifySessionToken(id_token), "Unauthenticated");
      await expectVaultError(t.vault.authenticateSession(id_token), "Unauthenticated");
    });

    it("a session JWT is never an id_token", async () => {
      const { principal } = await signUp(t.vault);
      await expectVaultError(t.vault.verifyIdToken(principal.token), "Unauthenticated");
    });

    it("the id_token verifies against the published JWKS with its own typ, issuer and audience", async () => {
      const { code, userId, email } = await signInCode();
      const { id_token } = await t.vault.redeemCodeForBackend(await newKey(), { code });
      const { payload } = await jwtVerify(id_token, createLocalJWKSet(await t.vault.jwks()), {
        issuer: ORIGIN,
        audience: AUDIENCE,
        typ: "id+jwt",
        algorithms: ["RS256"],
      });
      expect(payload).toMatchObject({ sub: userId, email, email_verified: false, uv: true });
      expect(Object.keys(payload).sort()).toEqual(["aud", "auth_time", "email", "email_verified", "exp", "iat", "iss", "jti", "sub", "uv"]);
    });
  });
});

describe.each(testProviders())("id_token vs session JWT with the default audiences (%s)", (provider) => {
  // Nothing configured: each has its own `aud`, so even a verifier that pins iss and aud but skips
  // typ (many JWT libraries do unless asked) refuses one where the other is expected.
  const t = useVault(provider);

  async function bothTokens() {
    const { authenticator, principal } = await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    const { id_token } = await t.vault.redeemCodeForBackend((await createApiKey(t.db, "k")).key, { code });
    return { session: principal.token, id_token, userId: principal.userId };
  }

  /** A verifier that pins algorithm, issuer and audience, and not typ. */
  async function verifyWithoutTyp(token: string, audience: string) {
    return jwtVerify(token, createLocalJWKSet(await t.vault.jwks()), { issuer: ORIGIN, audience, algorithms: ["RS256"] });
  }

  it("gives the id_token an audience of its own", async () => {
    const { session, id_token } = await bothTokens();
    expect(decodeJwt(id_token).aud).toBe(`${ORIGIN}#id_token`);
    expect(decodeJwt(session).aud).toBe(ORIGIN);
  });

  it("refuses each where the other is expected by audience alone, typ unchecked", async () => {
    const { session, id_token } = await bothTokens();
    await expect(verifyWithoutTyp(id_token, `${ORIGIN}#id_token`)).resolves.toBeDefined();
    await expect(verifyWithoutTyp(session, ORIGIN)).resolves.toBeDefined();
    await expect(verifyWithoutTyp(id_token, ORIGIN)).rejects.toThrow(/aud/);
    await expect(verifyWithoutTyp(session, `${ORIGIN}#id_token`)).rejects.toThrow(/aud/);
  });

  it("and the vault refuses each where the other is expected", async () => {
    const { session, id_token, userId } = await bothTokens();
    await expect(t.vault.verifyIdToken(id_token)).resolves.toHaveProperty("sub", userId);
    await expectVaultError(t.vault.verifySessionToken(id_token), "Unauthenticated");
    await expectVaultError(t.vault.authenticateSession(id_token), "Unauthenticated");
    await expectVaultError(t.vault.verifyIdToken(session), "Unauthenticated");
  });
});
