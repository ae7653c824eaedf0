// Step-up re-authentication, through the vault: authorize with { reauthenticate: true } and a
// session, verify with that session, then reauthenticate(code, session). Each test tells one lie.
import { describe, expect, it } from "vitest";
import type { Session } from "../../lib/vault";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, useVault, staleSession } from "../support/vault-harness";
import type { AuthenticationOverrides, SoftAuthenticator } from "../support/soft-authenticator";

describe.each(testProviders())("step-up re-authentication (%s)", (provider) => {
  const t = useVault(provider);

  async function signedIn(authenticator = newAuthenticator()) {
    const account = await signUp(t.vault, authenticator);
    return { ...account, session: await t.vault.authenticateSession(account.principal.token) };
  }

  /** A second session of the same account, signed in with its passkey (another device). */
  async function anotherSession(authenticator: SoftAuthenticator): Promise<Session> {
    const { token, options } = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    return t.vault.authenticateSession((await t.vault.exchangeCode(code)).token);
  }

  async function startStepUp(session: Session, authenticator: SoftAuthenticator, overrides: AuthenticationOverrides = {}) {
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const response = await authenticator.authenticate(options, overrides);
    return { token, options, response };
  }

  async function stepUpCode(session: Session, authenticator: SoftAuthenticator) {
    const { token, response } = await startStepUp(session, authenticator);
    return (await t.vault.verifyAuthentication({ token, response }, session)).code;
  }

  it("offers only the session user's passkeys, requires user verification, and binds the challenge", async () => {
    const { session, credential } = await signedIn();
    await signedIn(); // someone else's passkey exists and must not be offered
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([credential.id]);
    const rows = await t.db.challenge.findMany({ where: { challenge: options.challenge } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ceremony: "reauthentication", sessionId: session.sessionId, userId: session.userId, userVerification: "required" });
    expect(rows[0]!.tokenHash).not.toBe(token);
  });

  it("replaces the session: new id, auth_time now, uv true; the old one is revoked at once", async () => {
    const { session: fresh, authenticator, principal: first } = await signedIn();
    const session = await staleSession(t.db, fresh);
    await expectVaultError(t.vault.authorizeRegistration({}, session), "ReauthenticationRequired");

    const principal = await t.vault.reauthenticate(await stepUpCode(session, authenticator), session, { userAgent: "Test UA" });
    expect(principal.sessionId).not.toBe(session.sessionId);
    expect(principal.userId).toBe(session.userId);
    expect(principal.userVerified).toBe(true);
    expect(Math.abs(principal.authTime - Date.now() / 1000)).toBeLessThan(5);

    const upgraded = await t.vault.authenticateSession(principal.token);
    expect(() => t.vault.assertRecentlyVerified(upgraded)).not.toThrow();
    await expect(t.vault.authorizeRegistration({}, upgraded)).resolves.toHaveProperty("token");
    await expectVaultError(t.vault.authenticateSession(first.token), "Unauthenticated");
    const row = await t.db.session.findUniqueOrThrow({ where: { id: principal.sessionId } });
    expect(row.userAgent).toBe("Test UA");
  });

  it("refuses a response without user verification (UV=0), and issues no code", async () => {
    const { session, authenticator } = await signedIn();
    const { token, response } = await startStepUp(session, authenticator, { userVerified: false });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }, session), "Verification");
    expect(await t.db.code.count({ where: { userId: session.userId, ceremony: "reauthentication" } })).toBe(0);
  });

  it("refuses another account's passkey", async () => {
    const { session } = await signedIn();
    const { authenticator: otherDevice } = await signedIn();
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    // The other account's authenticator answers this session's challenge with its own passkey.
    const response = await otherDevice.authenticate({ ...options, allowCredentials: [] });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }, session), "Verification");
  });

  it("refuses a step-up started by session A and completed while signed in as B, or signed out", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const sameUserOtherSession = await anotherSession(a.authenticator);
    for (const finisher of [b.session, sameUserOtherSession, undefined]) {
      const { token, response } = await startStepUp(a.session, a.authenticator);
      const error = await expectVaultError(t.vault.verifyAuthentication({ token, response }, finisher), "Forbidden");
      expect(error.status).toBe(403);
    }
    expect(await t.db.code.count({ where: { userId: a.session.userId, ceremony: "reauthentication" } })).toBe(0);
  });

  it("never turns a plain login into a step-up: its code is refused by reauthenticate and stays unspent", async () => {
    const { session, authenticator } = await signedIn();
    const { token, options } = await t.vault.authorizeAuthentication({ userVerification: "required" });
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
    await expectVaultError(t.vault.reauthenticate(code, session), "InvalidCode");
    await expect(t.vault.exchangeCode(code)).resolves.toHaveProperty("sessionId");
  });

  it("never turns a step-up into a sign-in: its code is refused by exchangeCode and stays unspent", async () => {
    const { session, authenticator } = await signedIn();
    const code = await stepUpCode(session, authenticator);
    await expectVaultError(t.vault.exchangeCode(code), "InvalidCode");
    await expect(t.vault.reauthenticate(code, session)).resolves.toHaveProperty("sessionId");
  });

  it("refuses session A's step-up code for session B of the same user, and for another user", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const sibling = await anotherSession(a.authenticator);
    const code = await stepUpCode(a.session, a.authenticator);
    await expectVaultError(t.vault.reauthenticate(code, sibling), "InvalidCode");
    await expectVaultError(t.vault.reauthenticate(code, b.session), "InvalidCode");
    // Forged: B's id with A's session id (a Session is only ever built by authenticateSession).
    await expectVaultError(t.vault.reauthenticate(code, { ...a.session, userId: b.session.userId }), "InvalidCode");
    await expect(t.vault.reauthenticate(code, a.session)).resolves.toHaveProperty("sessionId");
  });

  it("refuses to upgrade a session signed out after the ceremony, and leaves nothing behind", async () => {
    const { session, authenticator } = await signedIn();
    const code = await stepUpCode(session, authenticator);
    await t.vault.revokeSession(session.sessionId);
    const sessions = await t.db.session.count();
    await expectVaultError(t.vault.reauthenticate(code, session), "Unauthenticated");
    expect(await t.db.session.count()).toBe(sessions);
    // The transaction rolled back: the code was not spent either.
    expect((await t.db.code.findFirstOrThrow({ where: { sessionId: session.sessionId } })).consumedAt).toBeNull();
  });

  it("lets exactly one of two concurrent redemptions of a step-up code win", async () => {
    const { session, authenticator } = await signedIn();
    const code = await stepUpCode(session, authenticator);
    const results = await Promise.allSettled([t.vault.reauthenticate(code, session), t.vault.reauthenticate(code, session)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.session.count({ where: { userId: session.userId, revokedAt: null } })).toBe(1);
  });

  it("needs a session, and refuses reauthenticate mixed with sign-in options", async () => {
    const { session } = await signedIn();
    await expectVaultError(t.vault.authorizeAuthentication({ reauthenticate: true }), "Unauthenticated");
    for (const body of [
      { reauthenticate: true, email: "a@example.com" },
      { reauthenticate: true, mediation: "conditional" },
      { reauthenticate: true, userVerification: "discouraged" },
      { reauthenticate: "yes" },
      { reauthenticate: false },
    ]) {
      await expectVaultError(t.vault.authorizeAuthentication(body, session), "BadRequest");
    }
  });

  it("is Forbidden for an account without passkeys (an empty allow list would accept any passkey)", async () => {
    const { session } = await signedIn();
    await t.db.passkey.deleteMany({ where: { userId: session.userId } });
    await expectVaultError(t.vault.authorizeAuthentication({ reauthenticate: true }, session), "Forbidden");
  });

  it("keeps requiring UV for a step-up even when a sign-in with UV=0 is fine", async () => {
    const { authenticator } = await signedIn();
    const { token, options } = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options, { userVerified: false }) });
    const session = await t.vault.authenticateSession((await t.vault.exchangeCode(code)).token);
    expect(session.userVerified).toBe(false);
    await expectVaultError(t.vault.authorizeRegistration({}, session), "ReauthenticationRequired");
  });
});
