// The account's activity log: one event per change, written with the change, never for a refused
// one, never with a secret in it, and listed only to the account's own sessions.
import { describe, expect, it } from "vitest";
import type { Session } from "../../lib/vault";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";
import type { AuthenticationOverrides, SoftAuthenticator } from "../support/soft-authenticator";

describe.each(testProviders())("security events (%s)", (provider) => {
  const t = useVault(provider);

  async function signedIn(authenticator = newAuthenticator()) {
    const account = await signUp(t.vault, authenticator);
    return { ...account, session: await t.vault.authenticateSession(account.principal.token) };
  }

  /** Runs `action` and answers the events it added for `userId`, as stored (details parsed). */
  async function eventsOf(userId: string, action: () => Promise<unknown>) {
    const before = new Set((await t.db.securityEvent.findMany({ where: { userId }, select: { id: true } })).map((e) => e.id));
    await action();
    const rows = await t.db.securityEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    return rows
      .filter((row) => !before.has(row.id))
      .map((row) => ({ type: row.type, details: JSON.parse(row.details) as Record<string, unknown>, userAgent: row.userAgent }));
  }

  async function login(authenticator: SoftAuthenticator, overrides: AuthenticationOverrides = {}) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    return { token, options, response: await authenticator.authenticate(options, overrides) };
  }

  /** A second session of the same account (another device), signed in with its passkey. */
  async function anotherSession(authenticator: SoftAuthenticator): Promise<Session> {
    const { token, response } = await login(authenticator);
    const { code } = await t.vault.verifyAuthentication({ token, response });
    return t.vault.authenticateSession((await t.vault.exchangeCode(code)).token);
  }

  it("records sign-up as a passkey added to a new account, then a sign-in", async () => {
    const authenticator = newAuthenticator();
    const email = uniqueEmail();
    const { token, options } = await t.vault.authorizeRegistration({ email });
    const { code } = await t.vault.verifyRegistration({ token, response: (await authenticator.register(options)).response });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    const events = await eventsOf(user.id, () => t.vault.exchangeCode(code, { userAgent: "Test UA" }));
    const all = await t.db.securityEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(all.map((e) => e.type)).toEqual(["passkey_added", "signed_in"]);
    expect(JSON.parse(all[0]!.details)).toMatchObject({ newAccount: true, name: "Passkey" });
    expect(events).toEqual([
      { type: "signed_in", details: expect.objectContaining({ method: "registration" }), userAgent: "Test UA" },
    ]);
  });

  it("records a sign-in with a passkey, with the browser it came from", async () => {
    const { authenticator, session } = await signedIn();
    const { token, response } = await login(authenticator);
    const { code } = await t.vault.verifyAuthentication({ token, response });
    const events = await eventsOf(session.userId, () => t.vault.exchangeCode(code, { userAgent: "Firefox" }));
    expect(events).toEqual([
      { type: "signed_in", details: expect.objectContaining({ method: "authentication", passkeyId: session.passkeyId }), userAgent: "Firefox" },
    ]);
  });

  it("records a step-up when its code is redeemed", async () => {
    const { authenticator, session } = await signedIn();
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
    const events = await eventsOf(session.userId, () => t.vault.reauthenticate(code, session));
    expect(events.map((e) => e.type)).toEqual(["step_up"]);
  });

  it("records adding, renaming and removing a passkey, with its id and name", async () => {
    const { session } = await signedIn();
    let passkeyId = "";
    const added = await eventsOf(session.userId, async () => {
      const { token, options } = await t.vault.authorizeRegistration({}, session);
      const { code } = await t.vault.verifyRegistration({ token, response: (await newAuthenticator().register(options)).response });
      passkeyId = (await t.vault.exchangeCode(code)).passkeyId!;
    });
    expect(added.map((e) => e.type)).toEqual(["passkey_added", "signed_in"]);
    expect(added[0]!.details).toMatchObject({ passkeyId, newAccount: false });

    const renamed = await eventsOf(session.userId, () => t.vault.renamePasskey(session, passkeyId, "Work laptop"));
    expect(renamed).toEqual([{ type: "passkey_renamed", details: { passkeyId, name: "Work laptop" }, userAgent: null }]);

    const removed = await eventsOf(session.userId, () => t.vault.deletePasskey(session, passkeyId));
    expect(removed).toEqual([{ type: "passkey_removed", details: { passkeyId, name: "Work laptop", count: 1 }, userAgent: null }]);
  });

  it("records signing out, once: a second sign-out of the same session records nothing", async () => {
    const { session } = await signedIn();
    expect((await eventsOf(session.userId, () => t.vault.revokeSession(session.sessionId))).map((e) => e.type)).toEqual(["signed_out"]);
    expect(await eventsOf(session.userId, () => t.vault.revokeSession(session.sessionId))).toEqual([]);
  });

  it("records signing out another session, and all others (only when there were any)", async () => {
    const { session, authenticator } = await signedIn();
    const other = await anotherSession(authenticator);
    const one = await eventsOf(session.userId, () => t.vault.revokeOtherSession(session, other.sessionId));
    expect(one).toEqual([{ type: "signed_out_other", details: { sessionId: other.sessionId }, userAgent: null }]);

    await anotherSession(authenticator);
    await anotherSession(authenticator);
    const all = await eventsOf(session.userId, () => t.vault.revokeOtherSessions(session));
    expect(all).toEqual([{ type: "signed_out_other", details: { count: 2 }, userAgent: null }]);
    expect(await eventsOf(session.userId, () => t.vault.revokeOtherSessions(session))).toEqual([]);
  });

  it("records email and display name changes", async () => {
    const { session, email } = await signedIn();
    const newEmail = uniqueEmail("renamed");
    const changed = await eventsOf(session.userId, () => t.vault.changeEmail(session, newEmail));
    expect(changed).toEqual([{ type: "email_changed", details: { from: email, to: newEmail }, userAgent: null }]);
    const named = await eventsOf(session.userId, () => t.vault.changeDisplayName(session, "Ada"));
    expect(named.map((e) => e.type)).toEqual(["display_name_changed"]);
  });

  it("records a refused login with the owner's passkey, keeping the reason server-side", async () => {
    const { authenticator, session } = await signedIn();
    const { token, response } = await login(authenticator, { tamperSignature: true });
    const events = await eventsOf(session.userId, () =>
      expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification"),
    );
    expect(events).toEqual([
      { type: "verification_failed", details: expect.objectContaining({ ceremony: "authentication", reason: "signature did not verify" }), userAgent: null },
    ]);
    const [listed] = await t.vault.listSecurityEvents(session, { limit: 1 });
    expect(listed).toMatchObject({ type: "verification_failed" });
    expect(listed!.details).not.toHaveProperty("reason");
  });

  it("records a refused passkey registration on the account it was for", async () => {
    const { session } = await signedIn();
    const { token, options } = await t.vault.authorizeRegistration({}, session);
    const { response } = await newAuthenticator().register(options, { origin: "https://evil.example" });
    const events = await eventsOf(session.userId, () => expectVaultError(t.vault.verifyRegistration({ token, response }), "Verification"));
    expect(events.map((e) => [e.type, e.details.ceremony])).toEqual([["verification_failed", "registration"]]);
  });

  it("records a correctly signed counter regression as such, and an unsigned one as a plain refusal", async () => {
    const { authenticator, session } = await signedIn();
    const first = await login(authenticator, { counter: 5 });
    await t.vault.verifyAuthentication({ token: first.token, response: first.response });

    const forged = await login(authenticator, { counter: 3, tamperSignature: true });
    const unsigned = await eventsOf(session.userId, () =>
      expectVaultError(t.vault.verifyAuthentication({ token: forged.token, response: forged.response }), "Verification"),
    );
    expect(unsigned.map((e) => e.type)).toEqual(["verification_failed"]);

    const cloned = await login(authenticator, { counter: 4 });
    const signed = await eventsOf(session.userId, () =>
      expectVaultError(t.vault.verifyAuthentication({ token: cloned.token, response: cloned.response }), "Verification"),
    );
    expect(signed.map((e) => e.type)).toEqual(["counter_regression"]);
  });

  it("records nothing for a refused change", async () => {
    const { session, authenticator } = await signedIn();
    const other = await signedIn();
    const stale = { ...session, authTime: new Date(Date.now() - 10 * 60_000) };
    const refused = await eventsOf(session.userId, async () => {
      await expectVaultError(t.vault.deletePasskey(session, session.passkeyId), "Forbidden"); // the last one
      await expectVaultError(t.vault.deletePasskey(stale, session.passkeyId), "ReauthenticationRequired");
      await expectVaultError(t.vault.renamePasskey(session, other.session.passkeyId, "Mine now"), "NotFound");
      await expectVaultError(t.vault.changeEmail(session, other.email), "DuplicateAccount");
      await expectVaultError(t.vault.changeEmail(stale, uniqueEmail()), "ReauthenticationRequired");
      await expectVaultError(t.vault.revokeOtherSession(session, other.session.sessionId), "NotFound");
      await expectVaultError(t.vault.revokeOtherSessions(stale), "ReauthenticationRequired");
      await expectVaultError(t.vault.exchangeCode("A".repeat(43)), "InvalidCode");
      const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
      const response = await authenticator.authenticate(options);
      await expectVaultError(t.vault.verifyAuthentication({ token, response }, other.session), "Forbidden");
    });
    expect(refused).toEqual([]);
    expect(await eventsOf(other.session.userId, async () => {})).toEqual([]);
  });

  it("records nothing for a refused sign-up (there is no account to tell)", async () => {
    const before = await t.db.securityEvent.count();
    const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await newAuthenticator().register(options, { crossOrigin: true });
    await expectVaultError(t.vault.verifyRegistration({ token, response }), "Verification");
    expect(await t.db.securityEvent.count()).toBe(before);
  });

  it("never stores a code, token, challenge, key or session JWT, even in a library's refusal message", async () => {
    const secrets: string[] = [];
    const authenticator = newAuthenticator();
    const email = uniqueEmail();
    const registration = await t.vault.authorizeRegistration({ email });
    const { response: attestation } = await authenticator.register(registration.options);
    const { code } = await t.vault.verifyRegistration({ token: registration.token, response: attestation });
    const principal = await t.vault.exchangeCode(code);
    secrets.push(registration.token, registration.options.challenge, code, principal.token, attestation.response.attestationObject);
    const session = await t.vault.authenticateSession(principal.token);

    // SimpleWebAuthn's message for a wrong challenge quotes both the received and expected values.
    const wrong = await login(authenticator, { challenge: "d3JvbmctY2hhbGxlbmdlLXZhbHVlLXF1b3RlZA" });
    await expectVaultError(t.vault.verifyAuthentication({ token: wrong.token, response: wrong.response }), "Verification");
    secrets.push(wrong.token, wrong.options.challenge, "d3JvbmctY2hhbGxlbmdlLXZhbHVlLXF1b3RlZA", wrong.response.response.signature);

    const stepUp = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const stepUpResponse = await authenticator.authenticate(stepUp.options);
    const { code: stepUpCode } = await t.vault.verifyAuthentication({ token: stepUp.token, response: stepUpResponse }, session);
    const upgraded = await t.vault.reauthenticate(stepUpCode, session);
    secrets.push(stepUp.token, stepUp.options.challenge, stepUpCode, upgraded.token);
    const keys = await t.db.signingKey.findMany();
    secrets.push(...keys.map((k) => k.encryptedPrivateKey));

    const stored = JSON.stringify(await t.db.securityEvent.findMany({ where: { userId: principal.userId } }));
    expect(stored).toContain("verification_failed");
    for (const secret of secrets) expect(stored).not.toContain(secret);
    // Nor anything that looks like one: no base64url run as long as a 128-bit value.
    const details = (await t.db.securityEvent.findMany({ where: { userId: principal.userId } })).map((e) => e.details);
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g; // row ids are fine
    for (const text of details) expect(text.replace(uuid, "")).not.toMatch(/[A-Za-z0-9_-]{22,}/);
  });

  it("lists only the session's own user's events, newest first, with the limit asked for", async () => {
    const alice = await signedIn();
    const bob = await signedIn();
    await t.vault.changeDisplayName(alice.session, "Alice");
    await t.vault.changeDisplayName(bob.session, "Bob");
    const events = await t.vault.listSecurityEvents(alice.session);
    expect(events.map((e) => e.type)).toEqual(["display_name_changed", "signed_in", "passkey_added"]);
    expect(events.map((e) => e.details.name)).toContain("Alice");
    expect(JSON.stringify(events)).not.toContain("Bob");
    expect(await t.vault.listSecurityEvents(alice.session, { limit: 1 })).toHaveLength(1);
    for (const limit of [0, 101, 1.5, "5"]) {
      await expectVaultError(t.vault.listSecurityEvents(alice.session, { limit: limit as number }), "BadRequest");
    }
  });
});
