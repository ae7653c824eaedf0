import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type JWK } from "jose";
import type { Db } from "../db";
import type { SigningAlgorithm, VaultConfig } from "./config";
import { decryptPrivateKey, encryptPrivateKey } from "./key-encryption";
import { newId } from "./random";

/** How often a running server re-reads which key signs, so a rotation elsewhere reaches it. */
const ACTIVE_KEY_RECHECK_MS = 60_000;
/** A token with an unknown `kid` triggers at most one key reload per this period. */
const UNKNOWN_KID_COOLDOWN_MS = 30_000;

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

/**
 * The vault's view of its signing keys, cached in memory: one instance per process. Signing never
 * generates or decrypts a key per request; verification never reads the database for a known kid.
 */
export class KeyStore {
  private active: Promise<ActiveKey> | undefined;
  private readonly publicKeys = new Map<string, { alg: SigningAlgorithm; key: CryptoKey }>();
  private lastReloadAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly config: VaultConfig,
  ) {}

  /** The key that signs now. The first call on an empty database creates one. */
  async signingKey(): Promise<ActiveKey> {
    const current = this.active && (await this.active.catch(() => undefined));
    if (current && Date.now() - current.checkedAt < ACTIVE_KEY_RECHECK_MS) return current;
    // Share one in-flight load between concurrent callers.
    this.active = this.loadSigningKey(current);
    try {
      return await this.active;
    } catch (error) {
      this.active = undefined;
      throw error;
    }
  }

  /** The public key for a token's `kid`, or undefined when no such key exists (even after a reload). */
  async verificationKey(kid: string, alg: string): Promise<CryptoKey | undefined> {
    let entry = this.publicKeys.get(kid);
    if (!entry && Date.now() - this.lastReloadAt >= UNKNOWN_KID_COOLDOWN_MS) {
      await this.reloadPublicKeys();
      entry = this.publicKeys.get(kid);
    }
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
    const now = new Date();
    const row =
      (await this.db.signingKey.findFirst({
        where: { activatesAt: { lte: now }, OR: [{ retiresAt: null }, { retiresAt: { gt: now } }] },
        orderBy: [{ activatesAt: "desc" }, { id: "asc" }],
      })) ?? (await createSigningKey(this.db, this.config, now));
    if (previous && previous.kid === row.id) return { ...previous, checkedAt: Date.now() };
    const pem = decryptPrivateKey(row.encryptedPrivateKey, this.config.secret, row.id);
    const alg = row.alg as SigningAlgorithm;
    return { kid: row.id, alg, privateKey: await importPKCS8(pem, alg), checkedAt: Date.now() };
  }

  private async reloadPublicKeys(): Promise<void> {
    this.lastReloadAt = Date.now();
    for (const row of await this.publishedRows()) {
      if (this.publicKeys.has(row.id)) continue;
      const jwk = JSON.parse(row.publicJwk) as PublicJwk;
      const key = await importJWK(jwk, jwk.alg);
      this.publicKeys.set(row.id, { alg: jwk.alg, key: key as CryptoKey });
    }
  }

  private publishedRows(): Promise<KeyRow[]> {
    // A retired key signed its last token at retiresAt; that token lives at most one session TTL.
    const stillVerifiable = new Date(Date.now() - this.config.sessionTtlSeconds * 1000);
    return this.db.signingKey.findMany({
      where: { OR: [{ retiresAt: null }, { retiresAt: { gt: stillVerifiable } }] },
      orderBy: [{ activatesAt: "asc" }, { id: "asc" }],
    });
  }
}
