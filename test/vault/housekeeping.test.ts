import { describe, expect, it } from "vitest";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { EMAIL_CODE_HISTORY_SECONDS } from "../../lib/vault/email-codes";
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

describe.each(testProviders())("purgeExpired (%s)", (provider) => {
  const t = useVault(provider);
  const config = loadVaultConfig(TEST_ENV);
  const minute = 60_000;

  const emailCode = (userId: string, tag: string, expiresAt: Date) =>
    t.db.emailCode.create({
      data: {
        id: `ec-${tag}`,
        userId,
        purpose: "verify_email",
        email: "someone@example.com",
        codeHash: "x",
        linkTokenHash: `link-${tag}`,
        browserBindingHash: "x",
        expiresAt,
      },
    });

  /**
   * One of each row the purge looks at, dead or alive as asked, for an account of its own. An email
   * code is dead a day after it expires (its wrong tries count against the guess budget until then).
   */
  async function seed(userId: string, dead: boolean) {
    const at = new Date(Date.now() + (dead ? -minute : 10 * minute));
    const tag = `${dead ? "dead" : "live"}-${userId}`;
    await emailCode(userId, tag, dead ? new Date(Date.now() - EMAIL_CODE_HISTORY_SECONDS * 1000 - minute) : at);
    await t.db.rateLimit.create({ data: { key: `rl-${tag}`, points: 1, expire: at } });
  }

  it("deletes dead rows of every kind, reports how many, and keeps every live one", async () => {
    const live = await signUp(t.vault);
    const revoked = await signUp(t.vault);
    const idle = await signUp(t.vault);
    const expired = await signUp(t.vault);
    await t.vault.revokeSession(revoked.principal.sessionId);
    await t.db.session.update({
      where: { id: idle.principal.sessionId },
      data: { lastSeenAt: new Date(Date.now() - config.sessionIdleTimeoutSeconds * 1000 - minute) },
    });
    await t.db.session.update({ where: { id: expired.principal.sessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    await seed(live.principal.userId, false);
    await seed(live.principal.userId, true);
    await emailCode(live.principal.userId, `expired-${live.principal.userId}`, new Date(Date.now() - minute)); // kept for the budget
    await t.vault.authorizeAuthentication({}); // a live challenge
    const oldEvent = await t.db.securityEvent.findFirstOrThrow({ where: { userId: live.principal.userId } });
    await t.db.securityEvent.update({ where: { id: oldEvent.id }, data: { createdAt: new Date(Date.now() - 91 * 24 * 3600_000) } });
    await t.db.challenge.create({
      data: { id: "dead-challenge", tokenHash: "dead", challenge: "x", ceremony: "authentication", userVerification: "preferred", expiresAt: new Date(Date.now() - 1) },
    });

    const deleted = await t.vault.purgeExpired();

    expect(deleted).toMatchObject({ sessions: 3, emailCodes: 1, rateLimits: 1, securityEvents: 1 });
    expect(deleted.challenges).toBeGreaterThanOrEqual(1);
    for (const ended of [revoked, idle, expired]) {
      expect(await t.db.session.findUnique({ where: { id: ended.principal.sessionId } })).toBeNull();
    }
    await expect(t.vault.authenticateSession(live.principal.token)).resolves.toMatchObject({ userId: live.principal.userId });
    expect((await t.db.emailCode.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map(({ id }) => id)).toEqual(
      expect.arrayContaining([`ec-expired-${live.principal.userId}`, `ec-live-${live.principal.userId}`]),
    );
    expect(await t.db.emailCode.count({ where: { id: { startsWith: "ec-dead-" } } })).toBe(0);
    expect(await t.db.rateLimit.findMany({ select: { key: true } })).toEqual([{ key: `rl-live-${live.principal.userId}` }]);
    expect(await t.db.challenge.count({ where: { expiresAt: { lt: new Date() } } })).toBe(0);
    expect(await t.db.challenge.count()).toBeGreaterThanOrEqual(1);
    expect(await t.db.securityEvent.findUnique({ where: { id: oldEvent.id } })).toBeNull();
    expect(await t.db.securityEvent.count({ where: { userId: live.principal.userId } })).toBeGreaterThanOrEqual(1);

    // Nothing left to delete: a second run (another scheduler, the same day) is harmless.
    expect(Object.values(await t.vault.purgeExpired()).every((count) => count === 0)).toBe(true);
  });
});
