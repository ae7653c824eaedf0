// The account itself: read, change email and name, delete — always the session's own user.
import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, signUp, uniqueEmail, useVault, stale } from "../support/vault-harness";

describe.each(testProviders())("account (%s)", (provider) => {
  const t = useVault(provider);

  async function signedIn() {
    const account = await signUp(t.vault);
    return { ...account, session: await t.vault.authenticateSession(account.principal.token) };
  }

  it("reads the session's own account, with the user handle the Signal API needs", async () => {
    const { session, email, credential } = await signedIn();
    const account = await t.vault.getAccount(session);
    expect(account).toMatchObject({ id: session.userId, email, displayName: "Test Person", userHandle: credential.userHandle });
  });

  it("changes the email: normalised, unique, only with recent verification", async () => {
    const { session } = await signedIn();
    const other = await signedIn();
    const newEmail = uniqueEmail("moved");
    await expectVaultError(t.vault.changeEmail(stale(session), newEmail), "ReauthenticationRequired");
    const taken = await expectVaultError(t.vault.changeEmail(session, other.email.toUpperCase()), "DuplicateAccount");
    expect(taken.details.field).toBe("email");
    await expectVaultError(t.vault.changeEmail(session, "not an email"), "BadRequest");
    expect((await t.vault.getAccount(session)).email).not.toBe(newEmail);

    const account = await t.vault.changeEmail(session, `  ${newEmail.toUpperCase()} `);
    expect(account.email).toBe(newEmail);
    // The new email signs in email-first; the old one now gets the decoy.
    const { options } = await t.vault.authorizeAuthentication({ email: newEmail });
    expect(options.allowCredentials).toHaveLength(1);
    expect((await t.vault.getAccount(other.session)).email).toBe(other.email);
  });

  it("changes the display name with the same rules as sign-up", async () => {
    const { session } = await signedIn();
    expect((await t.vault.changeDisplayName(session, " Ada  ")).displayName).toBe("Ada");
    await expectVaultError(t.vault.changeDisplayName(session, "\u202Eevil"), "BadRequest");
    await expectVaultError(t.vault.changeDisplayName(session, ""), "BadRequest");
    expect((await t.vault.getAccount(session)).displayName).toBe("Ada");
  });

  it("deletes the account with its passkeys, sessions and codes, only when the email is typed", async () => {
    const { session, email, principal, credential } = await signedIn();
    const other = await signedIn();
    await expectVaultError(t.vault.deleteAccount(stale(session), email), "ReauthenticationRequired");
    await expectVaultError(t.vault.deleteAccount(session, "wrong@example.com"), "BadRequest");
    await expectVaultError(t.vault.deleteAccount(session, undefined), "BadRequest");
    expect(await t.db.user.count({ where: { id: session.userId } })).toBe(1);

    const { userHandle } = await t.vault.deleteAccount(session, ` ${email.toUpperCase()}`);
    expect(userHandle).toBe(credential.userHandle);
    expect(await t.db.user.count({ where: { id: session.userId } })).toBe(0);
    expect(await t.db.passkey.count({ where: { userId: session.userId } })).toBe(0);
    expect(await t.db.session.count({ where: { userId: session.userId } })).toBe(0);
    expect(await t.db.code.count({ where: { userId: session.userId } })).toBe(0);
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
    await expect(t.vault.authenticateSession(other.principal.token)).resolves.toBeTruthy();
    // The email is free again.
    await expect(t.vault.authorizeRegistration({ email })).resolves.toHaveProperty("token");
  });
});
