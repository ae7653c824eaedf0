import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";

describe.each(testProviders())("registration (%s)", (provider) => {
  const t = useVault(provider);

  const counts = async () => ({
    users: await t.db.user.count(),
    passkeys: await t.db.passkey.count(),
    codes: await t.db.code.count(),
  });

  it.each(["ES256", "EdDSA", "RS256"] as const)("creates the account and its %s passkey from the verified response", async (alg) => {
    const authenticator = newAuthenticator(alg);
    const { email, credential, principal } = await signUp(t.vault, authenticator);

    const user = await t.db.user.findUniqueOrThrow({ where: { email }, include: { passkeys: true } });
    expect(principal.userId).toBe(user.id);
    expect(user.passkeys).toHaveLength(1);
    const [passkey] = user.passkeys;
    expect(passkey!.credentialId).toBe(credential.id);
    expect(Buffer.from(passkey!.publicKey).equals(Buffer.from(credential.publicKey))).toBe(true);
    expect(passkey!.counter).toBe(0n);
    // The WebAuthn user handle is random, not the user id.
    expect(credential.userHandle).toBe(user.webauthnUserId);
    expect(credential.userHandle).not.toBe(Buffer.from(user.id).toString("base64url"));
    expect(principal.passkeyId).toBe(passkey!.id);
    expect(principal.userVerified).toBe(true);
  });

  it("offers passkey options pinned to the configured RP and requiring a discoverable credential", async () => {
    const { options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    expect(options.rp).toEqual({ id: "localhost", name: "Next.js Passkeys" });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-8, -7, -257]);
    expect(options.challenge.length).toBeGreaterThanOrEqual(43);
  });

  it("writes nothing but the challenge before the passkey is verified", async () => {
    const before = await counts();
    await t.vault.authorizeRegistration({ email: uniqueEmail() });
    expect(await counts()).toEqual(before);
  });

  it("refuses a reused token and writes nothing the second time", async () => {
    const authenticator = newAuthenticator();
    const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await authenticator.register(options);
    await t.vault.verifyRegistration({ token, response });
    const after = await counts();
    await expectVaultError(t.vault.verifyRegistration({ token, response }), "InvalidToken");
    expect(await counts()).toEqual(after);
  });

  it.each([
    ["origin", { origin: "https://evil.example" }],
    ["challenge", { challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
    ["RP ID", { rpId: "evil.example" }],
    ["ceremony type", { type: "webauthn.get" }],
    ["user presence", { userPresent: false }],
  ])("refuses a response with the wrong %s, consumes the token and creates no account", async (_, overrides) => {
    const email = uniqueEmail();
    const { token, options } = await t.vault.authorizeRegistration({ email });
    const { response } = await newAuthenticator().register(options, overrides);
    const before = await counts();
    await expectVaultError(t.vault.verifyRegistration({ token, response }), "Verification");
    expect(await counts()).toEqual(before);
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
    // The token was spent: an honest retry with it must start over.
    const honest = await newAuthenticator().register(options);
    await expectVaultError(t.vault.verifyRegistration({ token, response: honest.response }), "InvalidToken");
  });

  it.each([
    ["crossOrigin: true", { crossOrigin: true }],
    ["crossOrigin: true with a topOrigin", { crossOrigin: true, topOrigin: "https://evil.example" }],
    ["a topOrigin", { topOrigin: "http://localhost:3000" }],
  ])("refuses a passkey created inside another site's frame (%s) and creates no account", async (_, overrides) => {
    const email = uniqueEmail();
    const { token, options } = await t.vault.authorizeRegistration({ email });
    const { response } = await newAuthenticator().register(options, overrides);
    const before = await counts();
    await expectVaultError(t.vault.verifyRegistration({ token, response }), "Verification");
    expect(await counts()).toEqual(before);
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
  });

  it("registers a 1023-byte credential id and refuses a 1024-byte one (decoded length, not base64url length)", async () => {
    const register = async (bytes: number) => {
      const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
      const credentialId = Buffer.alloc(bytes, bytes % 256).toString("base64url");
      const { response } = await newAuthenticator().register(options, { credentialId });
      return { credentialId, result: t.vault.verifyRegistration({ token, response }) };
    };
    const longest = await register(1023);
    await expect(longest.result).resolves.toHaveProperty("code");
    expect(await t.db.passkey.findUnique({ where: { credentialId: longest.credentialId } })).not.toBeNull();

    const tooLong = await register(1024);
    const error = await expectVaultError(tooLong.result, "BadRequest");
    expect(error.details).toEqual({ field: "response.id" });
    expect(await t.db.passkey.findUnique({ where: { credentialId: tooLong.credentialId } })).toBeNull();
  });

  it("refuses a response whose JSON id differs from the attested credential id", async () => {
    const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await newAuthenticator().register(options);
    const forged = { ...response, id: "Zm9yZ2VkLWlk", rawId: "Zm9yZ2VkLWlk" };
    await expectVaultError(t.vault.verifyRegistration({ token, response: forged }), "Verification");
  });

  it("refuses a credential id that is already registered, to any account", async () => {
    const { credential } = await signUp(t.vault);
    const email = uniqueEmail();
    const { token, options } = await t.vault.authorizeRegistration({ email });
    const { response } = await newAuthenticator().register(options, { credentialId: credential.id });
    const error = await expectVaultError(t.vault.verifyRegistration({ token, response }), "DuplicatePasskey");
    expect(error.status).toBe(409);
    expect(error.details.credentialId).toBe(credential.id);
    expect(await t.db.user.findUnique({ where: { email } })).toBeNull();
  });

  it.each([
    ["a decomposed accent and 80 more letters", `jose\u0301.o'brien+tag.${"x".repeat(80)}@example.com`, `josé.o'brien+tag.${"x".repeat(47)}`],
    ["an emoji at the 64th character", `${"a".repeat(63)}\u{1F600}tail@example.com`, `${"a".repeat(63)}\u{1F600}`],
    ["a short local part", "sam+notes@example.com", "sam+notes"],
  ])("names an account signed up without a name after its email's local part, by the typed-name rules (%s)", async (_, email, expected) => {
    const { token, options } = await t.vault.authorizeRegistration({ email });
    expect(options.user.displayName).toBe(expected);
    const { response } = await newAuthenticator().register(options);
    const { code } = await t.vault.verifyRegistration({ token, response });
    const { userId } = await t.vault.exchangeCode(code);
    const { displayName } = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(displayName).toBe(expected);
    // What the rule for a typed name accepts: NFC, at most 64 code points, no control or format characters.
    expect(displayName.normalize("NFC")).toBe(displayName);
    expect([...displayName].length).toBeLessThanOrEqual(64);
    expect(displayName).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it("refuses a second account for the same email, at authorize and at verify", async () => {
    const email = uniqueEmail();
    const first = await t.vault.authorizeRegistration({ email });
    const second = await t.vault.authorizeRegistration({ email: email.toUpperCase() });
    await t.vault.verifyRegistration({ token: first.token, response: (await newAuthenticator().register(first.options)).response });
    // The race: both ceremonies started before either finished; the unique email decides.
    const late = await newAuthenticator().register(second.options);
    await expectVaultError(t.vault.verifyRegistration({ token: second.token, response: late.response }), "DuplicateAccount");
    await expectVaultError(t.vault.authorizeRegistration({ email }), "DuplicateAccount");
    expect(await t.db.user.count({ where: { email } })).toBe(1);
  });

  it("adds a passkey to a signed-in account, excluding the ones it already has", async () => {
    const { principal, credential } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options } = await t.vault.authorizeRegistration({}, session);
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([credential.id]);
    const second = newAuthenticator("EdDSA");
    const { response } = await second.register(options);
    const { code } = await t.vault.verifyRegistration({ token, response });
    const next = await t.vault.exchangeCode(code);
    expect(next.userId).toBe(principal.userId);
    expect(await t.db.passkey.count({ where: { userId: principal.userId } })).toBe(2);
  });

  it.each([
    ["signed in over 5 minutes ago", { authTime: new Date(Date.now() - 301_000) }],
    ["signed in without user verification", { userVerified: false }],
  ])("asks for re-authentication before adding a passkey when %s", async (_, change) => {
    const { principal } = await signUp(t.vault);
    await t.db.session.update({ where: { id: principal.sessionId }, data: change });
    const session = await t.vault.authenticateSession(principal.token);
    const error = await expectVaultError(t.vault.authorizeRegistration({}, session), "ReauthenticationRequired");
    expect(error.status).toBe(403);
    expect(await t.db.challenge.count({ where: { userId: principal.userId } })).toBe(0);
  });

  it("refuses to add a passkey when the session was signed out mid-ceremony", async () => {
    const { principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options } = await t.vault.authorizeRegistration({}, session);
    await t.vault.revokeSession(session.sessionId);
    const { response } = await newAuthenticator().register(options);
    await expectVaultError(t.vault.verifyRegistration({ token, response }), "Unauthenticated");
    expect(await t.db.passkey.count({ where: { userId: principal.userId } })).toBe(1);
  });

  it("refuses to add a passkey when the step-up window ended mid-ceremony, and adds none", async () => {
    const { principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options } = await t.vault.authorizeRegistration({}, session);
    // Started in the window's last moment: by verify, the sign-in is over 5 minutes old.
    await t.db.session.update({ where: { id: session.sessionId }, data: { authTime: new Date(Date.now() - 301_000) } });
    const { response } = await newAuthenticator().register(options);
    const error = await expectVaultError(t.vault.verifyRegistration({ token, response }), "ReauthenticationRequired");
    expect(error.status).toBe(403);
    expect(await t.db.passkey.count({ where: { userId: principal.userId } })).toBe(1);
  });

  it.each([
    ["no body", undefined],
    ["an array", []],
    ["a missing email", { displayName: "x" }],
    ["a malformed email", { email: "not-an-email" }],
    ["an unknown field", { email: "a@example.com", admin: true }],
    ["a control character in the name", { email: "a@example.com", displayName: "a\u0007b" }],
    ["an over-long name", { email: "a@example.com", displayName: "x".repeat(65) }],
  ])("answers BadRequest for %s at authorize", async (_, body) => {
    await expectVaultError(t.vault.authorizeRegistration(body), "BadRequest");
  });

  it.each([
    ["a missing token", (r: object) => ({ response: r })],
    ["a token of the wrong length", (r: object) => ({ token: "abc", response: r })],
    ["a non-string token", (r: object) => ({ token: 42, response: r })],
    ["a missing response", () => ({ token: "A".repeat(43) })],
    ["a response that is a string", () => ({ token: "A".repeat(43), response: "{}" })],
    ["a response with non-base64url data", (r: { response: object }) => ({ token: "A".repeat(43), response: { ...r, response: { ...r.response, clientDataJSON: "not base64!" } } })],
    ["a rawId that differs from id", (r: object) => ({ token: "A".repeat(43), response: { ...r, rawId: "b3RoZXI" } })],
  ])("answers BadRequest for %s at verify, without consuming the real token", async (_, makeBody) => {
    const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await newAuthenticator().register(options);
    await expectVaultError(t.vault.verifyRegistration(makeBody(response as never)), "BadRequest");
    // The genuine ceremony still completes.
    await expect(t.vault.verifyRegistration({ token, response })).resolves.toHaveProperty("code");
  });
});
