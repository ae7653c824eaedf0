import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type JWK } from "jose";
import type { Db } from "../db-client";
import type { SigningAlgorithm, VaultConfig } from "./config";
import { decryptPrivateKey, encryptPrivateKey } from "./key-encryption";
import { newId } from "./random";
import { RECOVERY_SESSION_SECONDS } from "./recovery";

// --- How long each copy of the key set may be stale: the one place that says so ---------------
//
// Rotation must outlast every cache, in both directions. A new key is published before it signs
// (KEY_PUBLISH_DELAY_SECONDS), so no verifier meets a token whose key it has not fetched; a retired
// key stays published until every token it signed has expired (retiredKeyRetentionSeconds), so no
// verifier drops a key whose tokens are still live.

/** Cache-Control max-age of GET /.well-known/jwks.json: how long a verifier or a CDN may reuse its copy. */
export const JWKS_MAX_AGE_SECONDS = 300;
/**
 * This app's processes re-read the published keys at most once per this period, when a token is
 * verified: for an unknown `kid` (a key created by another process) and, as a periodic refresh,
 * for a known one (a key deleted or retired elsewhere). So a deleted key stops verifying within
 * this long of the deletion, and random kids cannot make every request a query. A remote verifier
 * using jose's createRemoteJWKSet re-fetches for an unknown kid at most every 30 s too.
 */
export const KEY_RELOAD_COOLDOWN_MS = 30_000;
/** How often a running server re-reads which key signs, so a rotation elsewhere reaches it. */
export const ACTIVE_KEY_RECHECK_MS = 60_000;
/** Margin for clocks that disagree between the servers, the database and verifiers. */
const CLOCK_SKEW_SECONDS = 60;
/**
 * A rotated-in key is in the JWKS this long before it signs: a verifier that fetched the set just
 * before the key appeared keeps that copy for JWKS_MAX_AGE_SECONDS, then fetches again within its
 * re-fetch cooldown. 390 s.
 */
export const KEY_PUBLISH_DELAY_SECONDS = JWKS_MAX_AGE_SECONDS + KEY_RELOAD_COOLDOWN_MS / 1000 + CLOCK_SKEW_SECONDS;

/**
 * How long a retired key stays published after its retiresAt: the longest-lived token it can have
 * signed (session, id_token or recovery session, whichever the configuration makes longest), plus
 * the time a server may go on signing with it before it re-reads the active key, plus the skew.
 */
export function retiredKeyRetentionSeconds(config: Pick<VaultConfig, "sessionTtlSeconds" | "idTokenTtlSeconds">): number {
  const longestToken = Math.max(config.sessionTtlSeconds, config.idTokenTtlSeconds, RECOVERY_SESSION_SECONDS);
  return longestToken + ACTIVE_KEY_RECHECK_MS / 1000 + CLOCK_SKEW_SECONDS;
}

export interface KeyStoreOptions {
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  reloadCooldownMs?: number;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: SigningAlgorithm;
  use: "sig";
}

interface ActiveKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  checkedAt: number;
}

type KeyRow = Awaited<ReturnType<Db["signingKey"]["findMany"]>>[number];

/** Creates a key pair and stores it; the private half is encrypted before it touches the database. */
export async function createSigningKey(db: Pick<Db, "signingKey">, config: VaultConfig, activatesAt = new Date()) {
  const alg = config.signingAlgorithm;
  const kid = newId();
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: PublicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const encryptedPrivateKey = encryptPrivateKey(await exportPKCS8(privateKey), config.secret, kid);
  return db.signingKey.create({
    data: { id: kid, alg, publicJwk: JSON.stringify(publicJwk), encryptedPrivateKey, activatesAt },
  });
}

type PublicKeyEntry = { alg: SigningAlgorithm; key: CryptoKey };

/**
 * The vault's view of its signing keys, cached in memory: one instance per process. Signing never
 * generates or decrypts a key per request; verification reads the database at most once per
 * KEY_RELOAD_COOLDOWN_MS, and then the cache becomes exactly the published set: a key that was
 * deleted (compromised) or retired past its tokens' lifetime stops verifying.
 */
export class KeyStore {
  private active: Promise<ActiveKey> | undefined;
  private publicKeys = new Map<string, PublicKeyEntry>();
  private lastReloadAt = -Infinity;
  private reloading: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly reloadCooldownMs: number;

  constructor(
    private readonly db: Db,
    private readonly config: VaultConfig,
    { now = Date.now, reloadCooldownMs = KEY_RELOAD_COOLDOWN_MS }: KeyStoreOptions = {},
  ) {
    this.now = now;
    this.reloadCooldownMs = reloadCooldownMs;
  }

  /** The key that signs now. The first call on an empty database creates one. */
  async signingKey(): Promise<ActiveKey> {
    const current = this.active && (await this.active.catch(() => undefined));
    if (current && this.now() - current.checkedAt < ACTIVE_KEY_RECHECK_MS) return current;
    // Share one in-flight load between concurrent callers.
    this.active = this.loadSigningKey(current);
    try {
      return await this.active;
    } catch (error) {
      this.active = undefined;
      throw error;
    }
  }

  /**
   * The public key for a token's `kid`, or undefined when no such key is published. Reloads the
   * published set first when the last reload is at least a cooldown old, whether or not the kid is
   * cached: an unknown kid may be a key another process just created, and a cached one may have
   * been deleted since.
   */
  async verificationKey(kid: string, alg: string): Promise<CryptoKey | undefined> {
    if (this.reloading || this.now() - this.lastReloadAt >= this.reloadCooldownMs) await this.reloadPublicKeys();
    const entry = this.publicKeys.get(kid);
    // The header's alg must be the key's own: a token cannot choose how it is checked.
    return entry && entry.alg === alg ? entry.key : undefined;
  }

  /** Public keys a verifier may meet: upcoming, signing, and retired ones whose tokens can still be live. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    // Make sure the key that will sign is published before the first token exists.
    await this.signingKey();
    const rows = await this.publishedRows();
    return { keys: rows.map((row) => JSON.parse(row.publicJwk) as PublicJwk) };
  }

  private async loadSigningKey(previous: ActiveKey | undefined): Promise<ActiveKey> {
    const now = new Date(this.now());
    const row =
      (await this.db.signingKey.findFirst({
        where: { activatesAt: { lte: now }, OR: [{ retiresAt: null }, { retiresAt: { gt: now } }] },
        orderBy: [{ activatesAt: "desc" }, { id: "asc" }],
      })) ?? (await createSigningKey(this.db, this.config, now));
    if (previous && previous.kid === row.id) return { ...previous, checkedAt: this.now() };
    const pem = decryptPrivateKey(row.encryptedPrivateKey, this.config.secret, row.id);
    const alg = row.alg as SigningAlgorithm;
    return { kid: row.id, alg, privateKey: await importPKCS8(pem, alg), checkedAt: this.now() };
  }

  /**
   * Concurrent verifications share one reload and wait for it. The cooldown counts from the start,
   * also of a reload that fails (the error reaches the callers waiting for it; later ones use the
   * cache until the next attempt), so a database outage costs one query per cooldown, not one per
   * request.
   */
  private reloadPublicKeys(): Promise<void> {
    if (!this.reloading) {
      this.lastReloadAt = this.now();
      this.reloading = this.rebuildPublicKeys().finally(() => (this.reloading = undefined));
    }
    return this.reloading;
  }

  /**
   * Replaces the cache with the published keys: what is no longer published is dropped, not kept
   * because it was once seen. Keys already imported are reused (importing is the costly part).
   */
  private async rebuildPublicKeys(): Promise<void> {
    const next = new Map<string, PublicKeyEntry>();
    for (const row of await this.publishedRows()) {
      const cached = this.publicKeys.get(row.id);
      if (cached) {
        next.set(row.id, cached);
        continue;
      }
      const jwk = JSON.parse(row.publicJwk) as PublicJwk;
      next.set(row.id, { alg: jwk.alg, key: (await importJWK(jwk, jwk.alg)) as CryptoKey });
    }
    this.publicKeys = next;
  }

  private publishedRows(): Promise<KeyRow[]> {
    return this.db.signingKey.findMany({
      where: publishedKeys(this.config, new Date(this.now())),
      orderBy: [{ activatesAt: "asc" }, { id: "asc" }],
    });
  }
}

/** Keys a verifier may meet at `now`: upcoming, signing, and retired ones whose tokens may still be live. */
function publishedKeys(config: VaultConfig, now: Date) {
  const stillVerifiable = new Date(now.getTime() - retiredKeyRetentionSeconds(config) * 1000);
  return { OR: [{ retiresAt: null }, { retiresAt: { gt: stillVerifiable } }] };
}

// --- Rotation (npm run keys:rotate) -----------------------------------------------------------

export type KeyState = "upcoming" | "signing" | "retired";

/** keys:rotate while a key is still upcoming: a second key would shorten the first one's publish delay. */
export class RotationInProgressError extends Error {
  constructor(upcoming: { id: string; activatesAt: Date }) {
    super(
      `A rotation is already under way: key ${upcoming.id} starts signing at ${upcoming.activatesAt.toISOString()}. Rotate again after that.`,
    );
    this.name = "RotationInProgressError";
  }
}

export interface KeySummary {
  kid: string;
  alg: string;
  state: KeyState;
  activatesAt: Date;
  retiresAt: Date | null;
  /** When it leaves the JWKS and is deleted: retiresAt plus retiredKeyRetentionSeconds. */
  unpublishedAt: Date | null;
}

/**
 * Schedules a new signing key: created now and published at once, signing from
 * KEY_PUBLISH_DELAY_SECONDS on. Every key signing now retires at that same instant, and stays
 * published until its tokens have expired (then purgeExpired deletes it). So tokens signed before
 * the rotation keep verifying until they expire, and no verifier meets the new key before its copy
 * of the JWKS has it. One rotation at a time: while a key is upcoming this refuses (the error says
 * when it starts). On a database with no signing key yet, the new key signs at once (no token,
 * and no cached key set, can exist yet).
 */
export async function rotateSigningKey(db: Db, config: VaultConfig, now = new Date()): Promise<KeySummary> {
  const upcoming = await db.signingKey.findFirst({ where: { activatesAt: { gt: now } } });
  if (upcoming) throw new RotationInProgressError(upcoming);
  const hasSigningKey = (await db.signingKey.count({ where: { retiresAt: null } })) > 0;
  const activatesAt = hasSigningKey ? new Date(now.getTime() + KEY_PUBLISH_DELAY_SECONDS * 1000) : now;
  const key = await db.$transaction(async (tx) => {
    const created = await createSigningKey(tx, config, activatesAt);
    await tx.signingKey.updateMany({ where: { id: { not: created.id }, retiresAt: null }, data: { retiresAt: activatesAt } });
    return created;
  });
  return summarize(key, config, now);
}

/** Deletes retired keys whose every token has expired; returns how many. Part of purgeExpired. */
export async function deleteExpiredSigningKeys(
  db: Db,
  config: Pick<VaultConfig, "sessionTtlSeconds" | "idTokenTtlSeconds">,
  now = new Date(),
): Promise<number> {
  const expired = new Date(now.getTime() - retiredKeyRetentionSeconds(config) * 1000);
  const { count } = await db.signingKey.deleteMany({ where: { retiresAt: { lte: expired } } });
  return count;
}

/** Every stored key with its state, oldest first: what an operator wants to see around a rotation. */
export async function listSigningKeys(db: Db, config: VaultConfig, now = new Date()): Promise<KeySummary[]> {
  const rows = await db.signingKey.findMany({ orderBy: [{ activatesAt: "asc" }, { id: "asc" }] });
  return rows.map((row) => summarize(row, config, now));
}

function summarize(row: KeyRow, config: VaultConfig, now: Date): KeySummary {
  const state: KeyState =
    row.activatesAt > now ? "upcoming" : row.retiresAt && row.retiresAt <= now ? "retired" : "signing";
  const unpublishedAt = row.retiresAt && new Date(row.retiresAt.getTime() + retiredKeyRetentionSeconds(config) * 1000);
  return { kid: row.id, alg: row.alg, state, activatesAt: row.activatesAt, retiresAt: row.retiresAt, unpublishedAt };
}
