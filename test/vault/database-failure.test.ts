// A database that fails part-way through a sign-in or a step-up leaves nothing half-written: the
// code is still unspent and no session row exists, so a retry works and no cookie can point at a
// session that was never committed. The failure is real: a trigger makes the database refuse the
// session insert, after the code has been consumed in the same transaction.
import { afterEach, describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("a database failing mid-way (%s)", (provider) => {
  const t = useVault(provider);

  async function failSessionInserts() {
    if (provider === "sqlite") {
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER fail_session_insert BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
      );
    } else {
      await t.db.$executeRawUnsafe(
        `CREATE FUNCTION fail_session_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
      );
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER fail_session_insert BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION fail_session_insert()`,
      );
    }
  }

  afterEach(async () => {
    if (provider === "sqlite") {
      await t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_session_insert`);
    } else {
      await t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_session_insert ON sessions`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS fail_session_insert()`);
    }
  });

  async function loginCode(authenticator: ReturnType<typeof newAuthenticator>) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    return (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code;
  }

  it("sign-in: the code stays unspent and no session is written; the retry works", async () => {
    const { authenticator, principal } = await signUp(t.vault);
    const code = await loginCode(authenticator);
    const sessions = await t.db.session.count({ where: { userId: principal.userId } });
    await failSessionInserts();
    await expect(t.vault.exchangeCode(code)).rejects.toThrow();
    expect(await t.db.session.count({ where: { userId: principal.userId } })).toBe(sessions);
    expect(await t.db.code.count({ where: { userId: principal.userId, consumedAt: { not: null }, ceremony: "authentication" } })).toBe(0);
    await t.db.$executeRawUnsafe(provider === "sqlite" ? `DROP TRIGGER fail_session_insert` : `DROP TRIGGER fail_session_insert ON sessions`);
    await expect(t.vault.exchangeCode(code)).resolves.toHaveProperty("userId", principal.userId);
  });

  it("step-up: the old session is not revoked when the new one cannot be written", async () => {
    const { authenticator, principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
    await failSessionInserts();
    await expect(t.vault.reauthenticate(code, session)).rejects.toThrow();
    // Still signed in with the old session: nothing was half-done.
    await expect(t.vault.authenticateSession(principal.token)).resolves.toHaveProperty("sessionId", session.sessionId);
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode"); // and the step-up code is still not a sign-in code
  });
});
