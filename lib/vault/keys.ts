import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type JWK } from "jose";
import type { Db } from "../db-client";
import type { SigningAlgorithm, VaultConfig } from "./config";
import { decryptPrivateKey, encryptPrivateKey } from "./key-encryption";
import { newId } from "./random";

/** How often a running server re-reads which key signs, so a rotation elsewhere reaches it. */
const ACTIVE_KEY_RECHECK_MS = 60_000;
/**
 * The published keys are re-read at most once per this period, when a token is verified: for an
 * unknown `kid` (a key created by another process) and, as a periodic refresh, for a known one
 * (a key deleted or retired elsewhere). So a deleted key stops verifying within this long of the
 * deletion (on the first verification after it), and random kids cannot make every request a query.
 */
export const KEY_RELOAD_COOLDOWN_MS = 30_000;

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
export async function createSigningKey(db: Db, config: VaultConfig, activatesAt = new Date()) {
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
    // A retired key signed its last token at retiresAt; that token lives at most one session TTL.
    const stillVerifiable = new Date(this.now() - this.config.sessionTtlSeconds * 1000);
    return this.db.signingKey.findMany({
      where: { OR: [{ retiresAt: null }, { retiresAt: { gt: stillVerifiable } }] },
      orderBy: [{ activatesAt: "asc" }, { id: "asc" }],
    });
  }
}
