import { createHmac } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../db-client";
import type { RateLimitConfig, RateLimitRule, RateLimitRuleName } from "./config";
import { VaultError } from "./errors";
import * as input from "./input";
import { recordSecurityEventBestEffort } from "./security-events";

/**
 * Rate limits, counted in the database (table rate_limits) so they hold across serverless
 * instances: rate-limiter-flexible with its Prisma store, one fixed window per rule and key. Each
 * hit is one statement (OneStatementStore below) that increments in the database, so parallel
 * hits are all counted. Framework-free: the caller says who the client is (lib/http/client-address.ts).
 *
 * Who pays: the client address is counted first, and only a hit that passes it is counted against
 * the email or account it names. An attacker spends their own address's budget, and once that is
 * gone they cannot spend a victim's email budget any more. Per-email windows are short and never
 * extended by further hits, so someone who knows a victim's email can delay the victim's
 * email-first sign-in by at most one window; sign-in without an email (the passkey button,
 * autofill) is never keyed by email at all.
 */

/** What the limited request is about, beyond the client: the email it looks up, the account it acts for. */
export interface RateLimitSubject {
  /** Any email-shaped input; normalised as the vault normalises it, so case and spaces do not make a new key. */
  email?: unknown;
  /** The session's user id. */
  accountId?: string;
}

/** The address rules; perEmail and perAccount are applied through the subject. */
export type AddressRule = Exclude<RateLimitRuleName, "perEmail" | "perAccount">;

export interface RateLimiter {
  /**
   * Counts one hit of `rule` for `client` (an address, or null when the deployment cannot tell:
   * the shared "unknown" bucket), then one per-email and one per-account hit for `subject`.
   * Throws `@error/RateLimited` with `retryAfter` (seconds) when any of them is over its limit.
   */
  hit(rule: AddressRule, client: string | null, subject?: RateLimitSubject): Promise<void>;
  /**
   * Per-email and per-account hits only, for a request whose address was already counted (a route
   * handler's address limit runs before its body is read; the account is known only after that).
   */
  hitSubject(subject: RateLimitSubject): Promise<void>;
}

/**
 * rate-limiter-flexible's Prisma store, with one change: a hit is ONE statement. The library's
 * store first deletes the key's expired row, then upserts (two statements per hit, and a sign-in
 * makes three hits). Here the upsert itself starts a new window when the row it finds has expired:
 *
 *   INSERT … ON CONFLICT (key) DO UPDATE SET
 *     points = CASE WHEN expired THEN the hit's points ELSE points + the hit's points END,
 *     expire = CASE WHEN expired THEN the new expiry  ELSE expire END
 *   RETURNING points, expire
 *
 * Both CASEs read the row as it was before this statement (SQLite and PostgreSQL alike), and the
 * database applies conflicting upserts one after another, so parallel hits are all counted, across
 * a window's end too. The same SQL on both databases: the dates are bound as parameters, which
 * Prisma writes in the column's own format (text in SQLite, timestamp in PostgreSQL), so `<=`
 * compares like with like. Everything else (the answer, blocks, penalties) is the library's.
 */
class OneStatementStore extends RateLimiterPrisma {
  private readonly db: Db;

  constructor(options: ConstructorParameters<typeof RateLimiterPrisma>[0] & { storeClient: Db }) {
    super(options);
    this.db = options.storeClient;
  }

  // The store's write, which the library calls for every hit (RateLimiterStoreAbstract).
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false) {
    const now = new Date();
    const expire = msDuration > 0 ? new Date(now.getTime() + msDuration) : null;
    // A forced window (the library's block() and set(), which the vault does not use) replaces the row.
    if (forceExpire) return this.db.rateLimit.upsert({ where: { key }, create: { key, points, expire }, update: { points, expire } });
    const [row] = await this.db.$queryRaw<{ points: number; expire: Date | string | null }[]>`
      INSERT INTO "rate_limits" ("key", "points", "expire") VALUES (${key}, ${points}, ${expire})
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "rate_limits"."expire" <= ${now} THEN excluded."points" ELSE "rate_limits"."points" + excluded."points" END,
        "expire" = CASE WHEN "rate_limits"."expire" <= ${now} THEN excluded."expire" ELSE "rate_limits"."expire" END
      RETURNING "points", "expire"`;
    if (!row) throw new Error("rate_limits: the upsert returned no row");
    return { points: Number(row.points), expire: row.expire === null ? null : new Date(row.expire) };
  }
}

/** Expired rows change no answer (a hit on one starts a new window); they are deleted now and then. */
const PURGE_INTERVAL_MS = 60_000;

export function createRateLimiter(db: Db, config: RateLimitConfig, secret: string): RateLimiter {
  const limiters = new Map<string, OneStatementStore>();
  let lastPurgeAt = -Infinity;

  function limiter(name: RateLimitRuleName, rule: RateLimitRule, factor = 1): OneStatementStore {
    const id = `${name}:${factor}`;
    let found = limiters.get(id);
    if (!found) {
      found = new OneStatementStore({
        storeClient: db,
        tableName: "rateLimit", // the Prisma model's accessor (model RateLimit)
        keyPrefix: name,
        points: rule.points * factor,
        duration: rule.seconds,
        // Our own purge below, from the write path: no timers in serverless functions.
        clearExpiredByTimeout: false,
      });
      limiters.set(id, found);
    }
    return found;
  }

  /** The table holds no addresses or emails: a keyed hash, stable per deployment. */
  const pseudonym = (value: string) => createHmac("sha256", secret).update(`rate-limit:${value}`).digest("base64url");

  /** Counts one hit; over the limit, calls `onFirstRefusal` for the hit that crossed it, then throws. */
  async function consume(name: RateLimitRuleName, key: string, factor = 1, onFirstRefusal?: () => Promise<void>): Promise<void> {
    const rule = limiter(name, config.rules[name], factor);
    try {
      await rule.consume(key);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome; // the database failed: the caller answers 503
      if (outcome.consumedPoints === rule.points + 1) await onFirstRefusal?.();
      throw rateLimited(outcome.msBeforeNext);
    }
  }

  async function purgeNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - lastPurgeAt < PURGE_INTERVAL_MS) return;
    lastPurgeAt = now;
    await db.rateLimit.deleteMany({ where: { expire: { lt: new Date(now) } } });
  }

  async function hitSubject(subject: RateLimitSubject): Promise<void> {
    const email = normalisedEmail(subject.email);
    if (email !== undefined) await consume("perEmail", pseudonym(`email:${email}`));
    const userId = subject.accountId;
    if (userId !== undefined) {
      // The owner sees this in Recent activity: once per window, not once per refused request.
      await consume("perAccount", pseudonym(`account:${userId}`), 1, () =>
        recordSecurityEventBestEffort(db, { userId, type: "rate_limited", details: { rule: "perAccount" } }),
      );
    }
  }

  return {
    async hit(rule, client, subject = {}) {
      await purgeNowAndThen();
      // Every client the deployment cannot tell apart shares one bucket, with room for many people.
      if (client === null) await consume(rule, "unknown", config.unknownClientFactor);
      else await consume(rule, pseudonym(`address:${client}`));
      // Only now, so that an address over its limit spends nobody else's budget.
      await hitSubject(subject);
    },
    hitSubject,
  };
}

/** The vault's own normalisation; an input that is not an email is refused by the vault anyway. */
function normalisedEmail(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return input.email(value);
  } catch {
    return undefined;
  }
}

function rateLimited(msBeforeNext: number): VaultError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new VaultError("RateLimited", "Too many attempts. Please wait a moment and try again.", {
    details: { retryAfter },
  });
}
