import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Private signing keys are stored encrypted with AES-256-GCM under a key derived from AUTH_SECRET
 * (HKDF-SHA256). The key id is bound as associated data, so a ciphertext copied onto another row
 * does not decrypt. Format: `v1.<iv>.<ciphertext>.<tag>`, base64url parts.
 */

const VERSION = "v1";
const INFO = "nextjs-passkeys/signing-key-encryption/v1";

function encryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), INFO, 32));
}

export function encryptPrivateKey(plaintext: string, secret: string, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(secret), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptPrivateKey(sealed: string, secret: string, kid: string): string {
  const [version, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !iv || !ciphertext || !tag) {
    throw new Error(`Signing key ${kid} is not in a format this version can read`);
  }
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    // AUTH_SECRET changed, or the row was tampered with: either way this key must not sign.
    throw new Error(
      `Signing key ${kid} cannot be decrypted: AUTH_SECRET is not the one it was created with (or the row was altered)`,
      { cause },
    );
  }
}
