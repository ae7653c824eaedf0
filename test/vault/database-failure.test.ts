// A database that fails part-way through a sign-in, a step-up or a sign-up leaves nothing
// half-written: the code is still unspent and no session row exists, so a retry works and no cookie
// can point at a session that was never committed; a sign-up leaves no account without its
// confirmation code. The failure is real: a trigger makes the database refuse an insert that comes
// after other writes of the same transaction.
import { afterEach, describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { randomToken } from "../../lib/vault/random";
import { expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";

describe.each(testProviders())("a database failing mid-way (%s)", (provider) => {
  const t = useVault(provider);

  /** Makes the database refuse every insert into `table` (trigger `fail_<table>_insert`) until `allowInserts`. */
  async function failInserts(table: "sessions" | "email_codes") {
    if (provider === "sqlite") {
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER fail_${table}_insert BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
      );
    } else {
      await t.db.$executeRawUnsafe(
        `CREATE FUNCTION fail_${table}_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
      );
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER fail_${table}_insert BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION fail_${table}_insert()`,
      );
    }
  }

  async function allowInserts(table: "sessions" | "email_codes") {
    if (provider === "sqlite") {
      await t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_${table}_insert`);
    } else {
      await t.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS fail_${table}_insert ON ${table}`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS fail_${table}_insert()`);
    }
  }

  afterEach(async () => {
    await allowInserts("sessions");
    await allowInserts("email_codes");
  });

  async function loginCode(authenticator: ReturnType<typeof newAuthenticator>) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    return (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code;
  }

  it("sign-in: the code stays unspent and no session is written; the retry works", async () => {
    const { authenticator, principal } = await signUp(t.vault);
    const code = await loginCode(authenticator);
    const sessions = await t.db.session.count({ where: { userId: principal.userId } });
    await failInserts("sessions");
    await expect(t.vault.exchangeCode(code)).rejects.toThrow();
    expect(await t.db.session.count({ where: { userId: principal.userId } })).toBe(sessions);
    expect(await t.db.code.count({ where: { userId: principal.userId, consumedAt: { not: null }, ceremony: "authentication" } })).toBe(0);
    await allowInserts("sessions");
    await expect(t.vault.exchangeCode(code)).resolves.toHaveProperty("userId", principal.userId);
  });

  it("step-up: the old session is not revoked when the new one cannot be written", async () => {
    const { authenticator, principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
    await failInserts("sessions");
    await expect(t.vault.reauthenticate(code, session)).rejects.toThrow();
    // Still signed in with the old session: nothing was half-done.
    await expect(t.vault.authenticateSession(principal.token)).resolves.toHaveProperty("sessionId", session.sessionId);
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode"); // and the step-up code is still not a sign-in code
  });

  it("sign-up: an account whose confirmation code cannot be written is not created, and its email stays free", async () => {
    const email = uniqueEmail("unconfirmable");
    const binding = randomToken();
    const { token, options } = await t.vault.authorizeRegistration({ email }, undefined, binding);
    const { response } = await newAuthenticator().register(options);
    await failInserts("email_codes");
    await expect(t.vault.verifyRegistration({ token, response }, binding)).rejects.toThrow();
    expect(await t.db.user.count({ where: { email } })).toBe(0);
    expect(await t.db.passkey.count({ where: { user: { email } } })).toBe(0);
    await allowInserts("email_codes");
    // The email was never taken: signing up again works, with its confirmation code.
    const again = await t.vault.authorizeRegistration({ email }, undefined, binding);
    const done = await t.vault.verifyRegistration({ token: again.token, response: (await newAuthenticator().register(again.options)).response }, binding);
    expect(done.confirmEmail).toMatchObject({ to: email, purpose: "verify_email" });
  });
});
