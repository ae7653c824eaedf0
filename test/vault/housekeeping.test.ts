import { describe, expect, it } from "vitest";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { testProviders } from "../support/test-db";
import { TEST_ENV, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("housekeeping (%s)", (provider) => {
  const t = useVault(provider);

  it("deletes expired challenges, codes and sessions when a ceremony starts, and keeps live ones", async () => {
    const expired = await signUp(t.vault);
    const live = await signUp(t.vault);
    const past = new Date(Date.now() - 1000);
    await t.db.session.update({ where: { id: expired.principal.sessionId }, data: { expiresAt: past } });
    await t.db.code.updateMany({ data: { expiresAt: past } });
    await t.vault.authorizeAuthentication({}); // a spare, expiring below
    await t.db.challenge.updateMany({ data: { expiresAt: past } });

    // A fresh vault (a new process) purges on its first write.
    const fresh = createVault(t.db, loadVaultConfig(TEST_ENV));
    await fresh.authorizeAuthentication({});

    expect(await t.db.challenge.count()).toBe(1);
    expect(await t.db.code.count()).toBe(0);
    expect(await t.db.session.findUnique({ where: { id: expired.principal.sessionId } })).toBeNull();
    await expect(t.vault.authenticateSession(live.principal.token)).resolves.toBeTruthy();
  });

  it("deletes security events older than 90 days with the same purge, and keeps younger ones", async () => {
    const { principal } = await signUp(t.vault);
    const day = 24 * 3600 * 1000;
    const events = await t.db.securityEvent.findMany({ where: { userId: principal.userId }, orderBy: { createdAt: "asc" } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    const [old, young] = events;
    await t.db.securityEvent.update({ where: { id: old!.id }, data: { createdAt: new Date(Date.now() - 91 * day) } });
    await t.db.securityEvent.update({ where: { id: young!.id }, data: { createdAt: new Date(Date.now() - 89 * day) } });

    await createVault(t.db, loadVaultConfig(TEST_ENV)).authorizeAuthentication({});

    expect(await t.db.securityEvent.findUnique({ where: { id: old!.id } })).toBeNull();
    expect(await t.db.securityEvent.findUnique({ where: { id: young!.id } })).not.toBeNull();
  });
});
