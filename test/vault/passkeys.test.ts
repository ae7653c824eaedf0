// Passkey management through the vault: list, rename, delete — always scoped to the session's user.
import { describe, expect, it } from "vitest";
import type { Session } from "../../lib/vault";
import { hashToken } from "../../lib/vault/random";
import type { SoftAuthenticator } from "../support/soft-authenticator";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, useVault, staleSession } from "../support/vault-harness";

describe.each(testProviders())("passkey management (%s)", (provider) => {
  const t = useVault(provider);

  async function signedIn() {
    const account = await signUp(t.vault);
    return { ...account, session: await t.vault.authenticateSession(account.principal.token) };
  }

  /** Adds a passkey on another device and signs in with it there; returns that device's session. */
  async function addPasskey(session: Session) {
    const device = newAuthenticator("EdDSA");
    const { token, options } = await t.vault.authorizeRegistration({}, session);
    const { code } = await t.vault.verifyRegistration({ token, response: (await device.register(options)).response });
    const principal = await t.vault.exchangeCode(code);
    return { device, principal, deviceSession: await t.vault.authenticateSession(principal.token) };
  }

  /** A sign-in ceremony with `authenticator`, its code kept unredeemed. */
  async function ceremonyCode(authenticator: SoftAuthenticator) {
    const { token, options } = await t.vault.authorizeAuthentication({});
    return (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code;
  }

  it("lists the user's passkeys with what the account page shows and no key material", async () => {
    const { session, credential } = await signedIn();
    await signedIn();
    const passkeys = await t.vault.listPasskeys(session);
    expect(passkeys).toHaveLength(1);
    expect(passkeys[0]).toMatchObject({ credentialId: credential.id, name: "Passkey", deviceType: "singleDevice", backedUp: false });
    expect(Object.keys(passkeys[0]!).sort()).toEqual(["aaguid", "backedUp", "createdAt", "credentialId", "deviceType", "id", "lastUsedAt", "name"]);
  });

  it("renames a passkey: NFC-normalised, trimmed", async () => {
    const { session } = await signedIn();
    const [passkey] = await t.vault.listPasskeys(session);
    const renamed = await t.vault.renamePasskey(session, passkey!.id, "  Cafe\u0301 laptop  ");
    expect(renamed.name).toBe("Café laptop");
    expect((await t.vault.listPasskeys(session))[0]!.name).toBe("Café laptop");
  });

  it.each([
    ["empty", "   "],
    ["too long", "x".repeat(65)],
    ["a control character", "a\u0007b"],
    ["a bidi override", "evil\u202Egnp.exe"],
    ["a zero-width space", "pass\u200Bkey"],
    ["not text", 42],
  ])("refuses a name that is %s, changing nothing", async (_, name) => {
    const { session } = await signedIn();
    const [passkey] = await t.vault.listPasskeys(session);
    const error = await expectVaultError(t.vault.renamePasskey(session, passkey!.id, name), "BadRequest");
    expect(error.details.field).toBe("name");
    expect((await t.vault.listPasskeys(session))[0]!.name).toBe("Passkey");
  });

  it("cannot rename, delete or list another user's passkeys", async () => {
    const victim = await signedIn();
    await addPasskey(victim.session);
    const attacker = await signedIn();
    const [victimPasskey] = await t.vault.listPasskeys(victim.session);
    await expectVaultError(t.vault.renamePasskey(attacker.session, victimPasskey!.id, "pwned"), "NotFound");
    await expectVaultError(t.vault.deletePasskey(attacker.session, victimPasskey!.id), "NotFound");
    expect((await t.vault.listPasskeys(attacker.session)).map((p) => p.id)).not.toContain(victimPasskey!.id);
    expect(await t.vault.listPasskeys(victim.session)).toHaveLength(2);
    expect((await t.vault.listPasskeys(victim.session))[0]!.name).toBe("Passkey");
  });

  it("deletes a passkey, answers the remaining ones, and signs out the sessions it signed in", async () => {
    const { session, principal: original } = await signedIn();
    const { deviceSession, principal } = await addPasskey(session);
    const unrelated = await signedIn();
    const [first, added] = await t.vault.listPasskeys(session);
    // The new device's session (signed in with `added`) deletes the first passkey...
    const remaining = await t.vault.deletePasskey(deviceSession, first!.id);
    expect(remaining.map((p) => p.id)).toEqual([added!.id]);
    expect(await t.db.passkey.count({ where: { id: first!.id } })).toBe(0);
    // ...which signs out the session signed in with the deleted passkey, but not itself or others.
    await expectVaultError(t.vault.authenticateSession(original.token), "Unauthenticated");
    await expect(t.vault.authenticateSession(principal.token)).resolves.toHaveProperty("sessionId", deviceSession.sessionId);
    await expect(t.vault.authenticateSession(unrelated.principal.token)).resolves.toBeTruthy();
  });

  it("ends the deleted passkey's unspent codes: a thief's held code signs nobody in; another passkey's still does", async () => {
    const { session, authenticator } = await signedIn();
    const { device, deviceSession } = await addPasskey(session);
    const [stolen] = await t.vault.listPasskeys(session);
    // The thief runs a ceremony with the stolen passkey and keeps the code; the owner's other device has one too.
    const held = await ceremonyCode(authenticator);
    const fresh = await ceremonyCode(device);
    await t.vault.deletePasskey(deviceSession, stolen!.id);
    // Spent by the delete itself (not only refused later because its passkey is gone).
    expect((await t.db.code.findUniqueOrThrow({ where: { codeHash: hashToken(held) } })).consumedAt).toBeInstanceOf(Date);
    expect((await t.db.code.findUniqueOrThrow({ where: { codeHash: hashToken(fresh) } })).consumedAt).toBeNull();
    const sessions = await t.db.session.count();
    await expectVaultError(t.vault.exchangeCode(held), "InvalidCode");
    expect(await t.db.session.count()).toBe(sessions);
    await expect(t.vault.exchangeCode(fresh)).resolves.toHaveProperty("passkeyId", deviceSession.passkeyId);
  });

  it("refuses to delete the last passkey, with a plain reason", async () => {
    const { session } = await signedIn();
    const [only] = await t.vault.listPasskeys(session);
    const error = await expectVaultError(t.vault.deletePasskey(session, only!.id), "Forbidden");
    expect(error.code).toBe("LAST_PASSKEY");
    expect(error.message).toMatch(/only passkey/);
    expect(await t.vault.listPasskeys(session)).toHaveLength(1);
  });

  it("leaves exactly one passkey when the last two are deleted in parallel", async () => {
    // A race is not lost every time it is run: run it on several accounts.
    for (let round = 0; round < 6; round++) {
      const { session } = await signedIn();
      await addPasskey(session);
      const [a, b] = await t.vault.listPasskeys(session);
      const results = await Promise.allSettled([t.vault.deletePasskey(session, a!.id), t.vault.deletePasskey(session, b!.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await t.vault.listPasskeys(session)).toHaveLength(1);
    }
  });

  it("needs recent user verification to delete, and changes nothing without it", async () => {
    const { session } = await signedIn();
    await addPasskey(session);
    const old = await staleSession(t.db, session);
    const [passkey] = await t.vault.listPasskeys(session);
    await expectVaultError(t.vault.deletePasskey(old, passkey!.id), "ReauthenticationRequired");
    await expectVaultError(t.vault.deletePasskey({ ...session, userVerified: false }, passkey!.id), "ReauthenticationRequired");
    expect(await t.vault.listPasskeys(session)).toHaveLength(2);
  });

  it.each([undefined, "", "not-a-uuid", 42, { id: "x" }])("answers %j as a passkey id with BadRequest", async (id) => {
    const { session } = await signedIn();
    await expectVaultError(t.vault.deletePasskey(session, id), "BadRequest");
    await expectVaultError(t.vault.renamePasskey(session, id, "name"), "BadRequest");
  });

  it("answers an unknown passkey id with NotFound", async () => {
    const { session } = await signedIn();
    await expectVaultError(t.vault.renamePasskey(session, "00000000-0000-4000-8000-000000000000", "name"), "NotFound");
  });
});
