import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { randomToken } from "../../lib/vault/random";
import { expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";

describe.each(testProviders())("codes (%s)", (provider) => {
  const t = useVault(provider);

  async function freshCode() {
    const { authenticator } = await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({});
    const response = await authenticator.authenticate(options);
    return (await t.vault.verifyAuthentication({ token, response })).code;
  }

  it("stores a code only as its hash, for at most 120 s", async () => {
    const code = await freshCode();
    const row = await t.db.code.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(row.codeHash).not.toContain(code);
    expect(await t.db.code.count({ where: { codeHash: code } })).toBe(0);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(120_000);
  });

  it("exchanges a code once; a second exchange is InvalidCode and creates no session", async () => {
    const code = await freshCode();
    await t.vault.exchangeCode(code);
    const sessions = await t.db.session.count();
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
    expect(await t.db.session.count()).toBe(sessions);
  });

  it("lets exactly one of two concurrent exchanges of the same code win", async () => {
    const code = await freshCode();
    const results = await Promise.allSettled([t.vault.exchangeCode(code), t.vault.exchangeCode(code)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  describe("bound to the browser that ran the ceremony", () => {
    const browserA = randomToken();
    const browserB = randomToken();

    it("signs in only the browser whose ceremony cookie started the login; elsewhere the code stays unspent", async () => {
      const { authenticator } = await signUp(t.vault);
      const { token, options } = await t.vault.authorizeAuthentication({}, undefined, browserA);
      const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
      await expectVaultError(t.vault.exchangeCode(code, { browserBinding: browserB }), "InvalidCode");
      await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
      await expect(t.vault.exchangeCode(code, { browserBinding: browserA })).resolves.toHaveProperty("token");
    });

    it("binds a registration's code the same way", async () => {
      const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() }, undefined, browserA);
      const { response } = await newAuthenticator().register(options);
      const { code } = await t.vault.verifyRegistration({ token, response });
      await expectVaultError(t.vault.exchangeCode(code, { browserBinding: browserB }), "InvalidCode");
      await expect(t.vault.exchangeCode(code, { browserBinding: browserA })).resolves.toHaveProperty("token");
    });

    it("binds a step-up's code the same way", async () => {
      const { authenticator, principal } = await signUp(t.vault);
      const session = await t.vault.authenticateSession(principal.token);
      const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session, browserA);
      const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
      await expectVaultError(t.vault.reauthenticate(code, session, { browserBinding: browserB }), "InvalidCode");
      await expect(t.vault.reauthenticate(code, session, { browserBinding: browserA })).resolves.toHaveProperty("token");
    });

    it("stores only the binding's hash", async () => {
      await t.vault.authorizeAuthentication({}, undefined, browserA);
      expect(await t.db.challenge.count({ where: { browserBindingHash: browserA } })).toBe(0);
      expect(await t.db.challenge.count({ where: { browserBindingHash: { not: null } } })).toBeGreaterThan(0);
    });
  });

  it("refuses a code whose passkey is gone, like a spent one, and writes nothing", async () => {
    const { authenticator, principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const signIn = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token: signIn.token, response: await authenticator.authenticate(signIn.options) });
    const stepUp = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const reauth = await t.vault.verifyAuthentication({ token: stepUp.token, response: await authenticator.authenticate(stepUp.options) }, session);
    // Gone behind the vault's back, so its codes are still unspent: only the redemption's own check is left.
    await t.db.passkey.deleteMany({ where: { userId: principal.userId } });
    const sessions = await t.db.session.count();
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
    await expectVaultError(t.vault.reauthenticate(reauth.code, session, {}), "InvalidCode");
    expect(await t.db.session.count()).toBe(sessions);
    expect(await t.db.code.count({ where: { userId: principal.userId, consumedAt: null } })).toBe(2);
    await expect(t.vault.authenticateSession(principal.token)).resolves.toBeTruthy();
  });

  it("refuses an expired code", async () => {
    const code = await freshCode();
    await t.db.code.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1) } });
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
  });

  it.each([undefined, "", "short", 123, "A".repeat(44)])("answers BadRequest for a malformed code %j", async (code) => {
    await expectVaultError(t.vault.exchangeCode(code), "BadRequest");
  });
});
