import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db-client";
import { VaultError, badRequest } from "./errors";
import { hashToken, newId, randomToken } from "./random";

/**
 * API keys: how a relying backend (another service, a next-auth server) proves itself to the
 * principal API (POST /api/passkey/principal). Made and revoked by an operator with the CLIs
 * (`npm run apikey:create -- <name>`, `npm run apikey:revoke -- <id>`), never by the app's pages.
 *
 * A key is `pkv.<id>.<secret>`: the id is public (it names the key in the CLIs and in the activity
 * log), the secret is 256 random bits. Only the SHA-256 of the whole key is stored. A key is a long
 * random value, not a password a person chose, so a plain hash is enough: no salt (nothing repeats)
 * and no slow KDF (nobody can guess 2^256 candidates, however fast the hash). A database leak
 * therefore reveals no usable key. The key is printed once, by the CLI, and never logged.
 *
 * A presented key is looked up by its id and its hash compared in constant time, so response time
 * tells nothing about how much of a guessed secret was right. (Whether an id exists is not secret.)
 */

const KEY = /^pkv\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;
const MAX_NAME_LENGTH = 100;
/** lastUsedAt is written at most this often per key: it is for operators, not an audit trail. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeySummary {
  id: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** The identity of a key that checked out. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
}

/** Creates a key. The returned `key` is the only copy: show it once, store it nowhere. */
export async function createApiKey(db: Db, name: unknown): Promise<{ id: string; name: string; key: string }> {
  const text = typeof name === "string" ? name.trim() : "";
  if (text === "" || text.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(text)) {
    throw badRequest(`The key's name must be 1 to ${MAX_NAME_LENGTH} printable characters`, "name");
  }
  const id = newId();
  const key = `pkv.${id}.${randomToken()}`;
  await db.apiKey.create({ data: { id, name: text, hash: hashToken(key) } });
  return { id, name: text, key };
}

/** Revokes a key at once. Returns false for an unknown or already revoked id. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}

export function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    select: { id: true, name: true, createdAt: true, revokedAt: true, lastUsedAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

const unauthenticated = () => new VaultError("Unauthenticated", "The API key is not valid.");

/**
 * The key's identity, or `@error/Unauthenticated` for a malformed, unknown or revoked key (one
 * answer for all three, so a caller learns nothing about which).
 */
export async function authenticateApiKey(db: Db, presented: unknown): Promise<ApiKeyIdentity> {
  const id = typeof presented === "string" ? KEY.exec(presented)?.[1] : undefined;
  if (!id) throw unauthenticated();
  const row = await db.apiKey.findUnique({ where: { id } });
  if (!row || row.revokedAt || !sameHash(row.hash, hashToken(presented as string))) throw unauthenticated();
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: new Date(now) } });
  }
  return { id: row.id, name: row.name };
}

/** Constant-time comparison of two base64url SHA-256 digests. */
function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(computed);
  return a.length === b.length && timingSafeEqual(a, b);
}
