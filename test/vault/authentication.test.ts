import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";

describe.each(testProviders())("authentication (%s)", (provider) => {
  const t = useVault(provider);

  async function login(authenticator: ReturnType<typeof newAuthenticator>, body: object = {}, overrides = {}) {
    const { token, options } = await t.vault.authorizeAuthentication(body);
    const response = await authenticator.authenticate(options, overrides);
    return { token, options, response };
  }

  it("signs in with a discoverable passkey (empty allowCredentials) and moves the counter forward", async () => {
    const { authenticator, credential, principal: first } = await signUp(t.vault);
    const { token, options, response } = await login(authenticator);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe("localhost");
    const { code } = await t.vault.verifyAuthentication({ token, response });
    const principal = await t.vault.exchangeCode(code);
    expect(principal.userId).toBe(first.userId);
    expect(principal.sessionId).not.toBe(first.sessionId);
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(1n);
    expect(passkey.lastUsedAt).not.toBeNull();
  });

  it("email-first login allows exactly that account's passkeys", async () => {
    const { email, authenticator, credential } = await signUp(t.vault);
    const { token, options, response } = await login(authenticator, { email });
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([credential.id]);
    await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
  });

  it("answers an unknown email with the same shape, stable across requests (no account enumeration)", async () => {
    const { email } = await signUp(t.vault);
    const known = await t.vault.authorizeAuthentication({ email });
    const unknownEmail = uniqueEmail("nobody");
    const unknown1 = await t.vault.authorizeAuthentication({ email: unknownEmail });
    const unknown2 = await t.vault.authorizeAuthentication({ email: unknownEmail });
    expect(Object.keys(unknown1).sort()).toEqual(Object.keys(known).sort());
    expect(Object.keys(unknown1.options).sort()).toEqual(Object.keys(known.options).sort());
    expect(unknown1.options.allowCredentials).toHaveLength(1);
    expect(unknown1.options.allowCredentials).toEqual(unknown2.options.allowCredentials);
    const decoyId = unknown1.options.allowCredentials![0]!.id;
    expect(await t.db.passkey.findUnique({ where: { credentialId: decoyId } })).toBeNull();
  });

  it("refuses another account's passkey on an email-first token", async () => {
    const alice = await signUp(t.vault);
    const bob = await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({ email: alice.email });
    // Bob's authenticator answers although the browser was told to allow only Alice's passkey.
    const response = await bob.authenticator.authenticate({ ...options, allowCredentials: [] });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
  });

  it("answers OrphanedPasskey, with the credential id and RP ID, for a credential the vault does not know", async () => {
    const { authenticator, credential } = await signUp(t.vault);
    await t.db.passkey.delete({ where: { credentialId: credential.id } });
    const { token, response } = await login(authenticator);
    const error = await expectVaultError(t.vault.verifyAuthentication({ token, response }), "OrphanedPasskey");
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ credentialId: credential.id, rpId: "localhost" });
  });

  it("refuses a replayed response: same token, and a fresh token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    await t.vault.verifyAuthentication({ token, response });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "InvalidToken");
    const fresh = await t.vault.authorizeAuthentication({});
    await expectVaultError(t.vault.verifyAuthentication({ token: fresh.token, response }), "Verification");
  });

  it.each([
    ["origin", { origin: "https://evil.example" }],
    ["challenge", { challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
    ["RP ID", { rpId: "evil.example" }],
    ["ceremony type", { type: "webauthn.create" }],
    ["signature", { tamperSignature: true }],
    ["user handle", { userHandle: "c29tZW9uZS1lbHNl" }],
  ])("refuses a response with a bad %s and leaves the counter alone", async (_, overrides) => {
    const { authenticator, credential } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, overrides);
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(0n);
    expect(await t.db.code.count({ where: { passkeyId: passkey.id, ceremony: "authentication" } })).toBe(0);
  });

  it("refuses a counter that does not move forward (a cloned authenticator)", async () => {
    const { authenticator, credential } = await signUp(t.vault);
    const first = await login(authenticator, {}, { counter: 5 });
    await t.vault.verifyAuthentication({ token: first.token, response: first.response });
    for (const counter of [5, 4]) {
      const again = await login(authenticator, {}, { counter });
      await expectVaultError(t.vault.verifyAuthentication({ token: again.token, response: again.response }), "Verification");
    }
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(5n);
  });

  it("enforces userVerification: required on the server, whatever the browser did", async () => {
    const { authenticator } = await signUp(t.vault);
    const refused = await login(authenticator, { userVerification: "required" }, { userVerified: false });
    await expectVaultError(t.vault.verifyAuthentication({ token: refused.token, response: refused.response }), "Verification");
    const accepted = await login(authenticator, { userVerification: "required" });
    const { code } = await t.vault.verifyAuthentication({ token: accepted.token, response: accepted.response });
    expect((await t.vault.exchangeCode(code)).userVerified).toBe(true);
  });

  it("records a login without user verification as uv=false when it was only preferred", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, { userVerified: false });
    const { code } = await t.vault.verifyAuthentication({ token, response });
    expect((await t.vault.exchangeCode(code)).userVerified).toBe(false);
  });

  it("lets exactly one of two concurrent verifies with the same token win", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    const results = await Promise.allSettled([
      t.vault.verifyAuthentication({ token, response }),
      t.vault.verifyAuthentication({ token, response }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("lets one of two different responses signed with the same counter win, even concurrently", async () => {
    // Both would pass SimpleWebAuthn's counter check if read before either is written: only the
    // compare-and-set on the stored counter stops a cloned authenticator winning the race.
    const { authenticator, credential } = await signUp(t.vault);
    const a = await login(authenticator, {}, { counter: 7 });
    const b = await login(authenticator, {}, { counter: 7 });
    const results = await Promise.allSettled([
      t.vault.verifyAuthentication({ token: a.token, response: a.response }),
      t.vault.verifyAuthentication({ token: b.token, response: b.response }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(7n);
  });

  it("refuses a registration token at the authentication step", async () => {
    const { authenticator } = await signUp(t.vault);
    const registration = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await login(authenticator);
    await expectVaultError(t.vault.verifyAuthentication({ token: registration.token, response }), "InvalidToken");
  });

  it("refuses an expired token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    await t.db.challenge.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "InvalidToken");
  });

  it.each([
    ["an unknown field", { reauthenticate: "yes", extra: 1 }],
    ["a bad userVerification", { userVerification: "always" }],
    ["a bad mediation", { mediation: "sometimes" }],
    ["autofill narrowed to an email", { email: "a@example.com", mediation: "conditional" }],
    ["a malformed email", { email: "@" }],
  ])("answers BadRequest for %s at authorize", async (_, body) => {
    await expectVaultError(t.vault.authorizeAuthentication(body), "BadRequest");
  });

  it("answers BadRequest for a malformed assertion without consuming the token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    const broken = { ...response, response: { ...response.response, signature: 12 } };
    await expectVaultError(t.vault.verifyAuthentication({ token, response: broken }), "BadRequest");
    await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
  });
});
