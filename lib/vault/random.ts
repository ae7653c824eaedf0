import { createHash, randomBytes, randomUUID } from "node:crypto";

/** 256 random bits, base64url: for challenge tokens and codes. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Tokens and codes are stored as their SHA-256: they carry 256 bits of entropy, so a plain hash is
 * enough (no salt or slow KDF needed) and a database leak reveals nothing usable.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function newId(): string {
  return randomUUID();
}
