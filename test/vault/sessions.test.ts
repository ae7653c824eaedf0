import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, signUp, useVault, type newAuthenticator, stale } from "../support/vault-harness";

describe.each(testProviders())("sessions (%s)", (provider) => {
  const t = useVault(provider);

  it("ends a session at once when it is revoked, though its JWT is still validly signed", async () => {
    const { principal } = await signUp(t.vault);
    await expect(t.vault.authenticateSession(principal.token)).resolves.toMatchObject({ userId: principal.userId });
    await t.vault.revokeSession(principal.sessionId);
    await expect(t.vault.verifySessionToken(principal.token)).resolves.toMatchObject({ sid: principal.sessionId });
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
  });

  it("ends a session whose row has expired", async () => {
    const { principal } = await signUp(t.vault);
    await t.db.session.update({ where: { id: principal.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
  });
});

// The sessions list and signing out other sessions, scoped to the user.
describe.each(testProviders())("session management (%s)", (provider) => {
  const t = useVault(provider);

  async function signedIn() {
    const account = await signUp(t.vault);
    return { ...account, session: await t.vault.authenticateSession(account.principal.token) };
  }

  async function anotherSession(authenticator: ReturnType<typeof newAuthenticator>, userAgent?: string) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    const principal = await t.vault.exchangeCode(code, { userAgent });
    return { principal, session: await t.vault.authenticateSession(principal.token) };
  }

  /** A sign-in ceremony with `authenticator`, its code held back rather than redeemed. */
  async function heldCode(authenticator: ReturnType<typeof newAuthenticator>) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    return (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code;
  }

  it("lists the user's live sessions, current first, with the User-Agent each started with", async () => {
    const { session, authenticator } = await signedIn();
    const phone = await anotherSession(authenticator, "Mozilla/5.0 (iPhone) Safari");
    const ended = await anotherSession(authenticator);
    await t.vault.revokeSession(ended.session.sessionId);
    await signedIn(); // someone else's
    const list = await t.vault.listSessions(session);
    expect(list.map((s) => [s.id, s.current])).toEqual([
      [session.sessionId, true],
      [phone.session.sessionId, false],
    ]);
    expect(list[1]!.userAgent).toBe("Mozilla/5.0 (iPhone) Safari");
  });

  it("stores at most 512 characters of a User-Agent", async () => {
    const { authenticator } = await signedIn();
    const { session } = await anotherSession(authenticator, "x".repeat(5000));
    const row = await t.db.session.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(row.userAgent).toHaveLength(512);
  });

  it("ends a session left unused past the idle timeout, and revokes its row", async () => {
    const { session, principal } = await signedIn();
    const idle = new Date(Date.now() - (3 * 24 * 3600 + 60) * 1000); // the default timeout, and a minute
    await t.db.session.update({ where: { id: session.sessionId }, data: { lastSeenAt: idle } });
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
    expect((await t.db.session.findUniqueOrThrow({ where: { id: session.sessionId } })).revokedAt).not.toBeNull();
    // Just inside the timeout, another session of the same kind is still fine.
    const other = await signedIn();
    const almost = new Date(Date.now() - (3 * 24 * 3600 - 60) * 1000);
    await t.db.session.update({ where: { id: other.session.sessionId }, data: { lastSeenAt: almost } });
    await expect(t.vault.authenticateSession(other.principal.token)).resolves.toHaveProperty("sessionId", other.session.sessionId);
  });

  it("records activity at most once a minute", async () => {
    const { session, principal } = await signedIn();
    const past = new Date(Date.now() - 5 * 60_000);
    await t.db.session.update({ where: { id: session.sessionId }, data: { lastSeenAt: past } });
    await t.vault.authenticateSession(principal.token);
    const seen = (await t.db.session.findUniqueOrThrow({ where: { id: session.sessionId } })).lastSeenAt;
    expect(seen.getTime()).toBeGreaterThan(past.getTime());
    await t.vault.authenticateSession(principal.token);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: session.sessionId } })).lastSeenAt).toEqual(seen);
  });

  it("signs out one other session, only with recent verification, never another user's", async () => {
    const { session, authenticator } = await signedIn();
    const laptop = await anotherSession(authenticator);
    const stranger = await signedIn();
    await expectVaultError(t.vault.revokeOtherSession(stale(session), laptop.session.sessionId), "ReauthenticationRequired");
    await expectVaultError(t.vault.revokeOtherSession(session, stranger.session.sessionId), "NotFound");
    await expectVaultError(t.vault.revokeOtherSession(session, session.sessionId), "BadRequest");
    await expectVaultError(t.vault.revokeOtherSession(session, "nope"), "BadRequest");
    await expect(t.vault.authenticateSession(stranger.principal.token)).resolves.toBeTruthy();
    await expect(t.vault.authenticateSession(laptop.principal.token)).resolves.toBeTruthy();

    await t.vault.revokeOtherSession(session, laptop.session.sessionId);
    await expectVaultError(t.vault.authenticateSession(laptop.principal.token), "Unauthenticated");
    await expectVaultError(t.vault.revokeOtherSession(session, laptop.session.sessionId), "NotFound");
  });

  it("signs out every other session of the user and keeps this one and other users'", async () => {
    const { session, authenticator, principal } = await signedIn();
    const a = await anotherSession(authenticator);
    const b = await anotherSession(authenticator);
    const stranger = await signedIn();
    await expectVaultError(t.vault.revokeOtherSessions(stale(session)), "ReauthenticationRequired");
    await expect(t.vault.authenticateSession(a.principal.token)).resolves.toBeTruthy();

    expect(await t.vault.revokeOtherSessions(session)).toBe(2);
    for (const ended of [a, b]) await expectVaultError(t.vault.authenticateSession(ended.principal.token), "Unauthenticated");
    await expect(t.vault.authenticateSession(principal.token)).resolves.toBeTruthy();
    await expect(t.vault.authenticateSession(stranger.principal.token)).resolves.toBeTruthy();
  });

  it("signing out other sessions ends the user's unspent codes: a held one signs nobody in again; a new one does", async () => {
    const { session, authenticator, principal } = await signedIn();
    const held = await heldCode(authenticator);
    await t.vault.revokeOtherSessions(session);
    const sessions = await t.db.session.count();
    await expectVaultError(t.vault.exchangeCode(held), "InvalidCode");
    expect(await t.db.session.count()).toBe(sessions);
    await expect(t.vault.authenticateSession(principal.token)).resolves.toBeTruthy();
    await expect(anotherSession(authenticator)).resolves.toHaveProperty("session.userId", session.userId);
  });

  it("leaves no other session live when a held code is redeemed during the sign-out", async () => {
    // A race is not lost every time it is run: run it on several accounts.
    for (let round = 0; round < 6; round++) {
      const { session, authenticator } = await signedIn();
      const held = await heldCode(authenticator);
      await Promise.allSettled([t.vault.exchangeCode(held), t.vault.revokeOtherSessions(session)]);
      expect((await t.vault.listSessions(session)).map((s) => s.id)).toEqual([session.sessionId]);
    }
  });
});
