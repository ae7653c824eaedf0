import type { Db } from "../db-client";
import { purgeOldSecurityEvents } from "./security-events";

/** At most one purge per process per this period: a cheap, indexed delete, never on every request. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Every login page view stores a challenge, so expired challenges, codes and sessions are deleted
 * now and then from the write path; the tables stay small without a cron job. An expired row is
 * already refused everywhere (every lookup checks expiresAt), so deleting it changes no answer.
 * Security events are kept for SECURITY_EVENT_RETENTION_DAYS (90), then deleted the same way.
 */
export class Housekeeping {
  private lastPurgeAt = -Infinity;

  constructor(private readonly db: Db) {}

  async purgeExpiredNowAndThen(now = new Date()): Promise<void> {
    if (now.getTime() - this.lastPurgeAt < PURGE_INTERVAL_MS) return;
    this.lastPurgeAt = now.getTime();
    const expired = { expiresAt: { lt: now } };
    await this.db.challenge.deleteMany({ where: expired });
    await this.db.code.deleteMany({ where: expired });
    await this.db.emailCode.deleteMany({ where: expired });
    await this.db.session.deleteMany({ where: expired });
    await purgeOldSecurityEvents(this.db, now);
  }
}
