import type { Db } from "../db-client";
import type { VaultConfig } from "./config";
import { purgeEmailCodes } from "./email-codes";
import { deleteExpiredSigningKeys } from "./keys";
import { SECURITY_EVENT_RETENTION_DAYS } from "./security-events";

/** At most one purge per process per this period: a cheap, indexed delete, never on every request. */
const PURGE_INTERVAL_MS = 60_000;

/** What one purge deleted, table by table. */
export interface PurgeReport {
  challenges: number;
  codes: number;
  emailCodes: number;
  sessions: number;
  rateLimits: number;
  securityEvents: number;
  signingKeys: number;
}

/** What the purge needs to know of the configuration: when sessions end, how long tokens live. */
export type PurgeConfig = Pick<VaultConfig, "sessionIdleTimeoutSeconds" | "sessionTtlSeconds" | "idTokenTtlSeconds">;

/**
 * Deletes every row that can no longer change an answer:
 * - challenges and codes past their expiry (every lookup already checks expiresAt), and email codes
 *   a day after it (their wrong tries count against the account's guess budget for that day);
 * - sessions that have ended: expired, revoked, or unused for longer than the idle timeout (each is
 *   already refused by authenticateSession, which sees no difference between a dead row and none);
 * - rate-limit windows that are over (a hit on one starts a new window anyway);
 * - security events older than SECURITY_EVENT_RETENTION_DAYS (90), the retention rule;
 * - retired signing keys whose every token has expired (lib/vault/keys.ts), which also leaves the JWKS.
 *
 * Called by the scheduled route (app/api/cron/cleanup, a Vercel cron), by `npm run db:cleanup`,
 * and now and then from the write path (Housekeeping below). Idempotent, so overlapping runs from
 * several places are harmless.
 */
export async function purgeExpired(db: Db, config: PurgeConfig, now = new Date()): Promise<PurgeReport> {
  const expired = { expiresAt: { lt: now } };
  const idleSince = new Date(now.getTime() - config.sessionIdleTimeoutSeconds * 1000);
  const eventsBefore = new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * 24 * 3600 * 1000);
  const count = async (deletion: Promise<{ count: number }>) => (await deletion).count;
  // One table after another, not in parallel: SQLite has one writer.
  return {
    challenges: await count(db.challenge.deleteMany({ where: expired })),
    codes: await count(db.code.deleteMany({ where: expired })),
    emailCodes: await purgeEmailCodes(db, now),
    sessions: await count(
      db.session.deleteMany({ where: { OR: [expired, { revokedAt: { not: null } }, { lastSeenAt: { lt: idleSince } }] } }),
    ),
    rateLimits: await count(db.rateLimit.deleteMany({ where: { expire: { lt: now } } })),
    securityEvents: await count(db.securityEvent.deleteMany({ where: { createdAt: { lt: eventsBefore } } })),
    signingKeys: await deleteExpiredSigningKeys(db, config, now),
  };
}

/**
 * Every login page view stores a challenge, so the same purge also runs now and then from the
 * write path: the tables stay small even where no cron job is set up. The scheduled route is what
 * guarantees it on an app nobody visits for a while.
 */
export class Housekeeping {
  private lastPurgeAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly config: PurgeConfig,
  ) {}

  async purgeExpiredNowAndThen(now = new Date()): Promise<void> {
    if (now.getTime() - this.lastPurgeAt < PURGE_INTERVAL_MS) return;
    this.lastPurgeAt = now.getTime();
    await purgeExpired(this.db, this.config, now);
  }
}
