import { createHmac } from "node:crypto";

/**
 * Decoy credentials for email-first login with an unknown email. A known email is answered with
 * that account's passkeys in allowCredentials; an unknown one must look the same, or the login
 * form tells anyone which emails have accounts. One fixed-shape decoy is not enough: accounts have
 * one passkey or four, synced passkeys or a security key, and a decoy that never varies stands out
 * against them. So each unknown email gets its own list, drawn from the shapes real accounts have,
 * and the same list every time it is asked (derived from an HMAC of the email under AUTH_SECRET:
 * stable, and unpredictable without the secret).
 */

export interface DecoyProfile {
  /** Credential id length in bytes. */
  bytes: number;
  /** As browsers report them: getTransports() answers a sorted list. */
  transports: string[];
  /** Relative share among real credentials. */
  weight: number;
}

/**
 * The credential shapes real accounts have here: synced platform passkeys (16-byte ids from Google
 * Password Manager and others, 20-byte ones from iCloud Keychain, hybrid + internal), device-bound
 * platform authenticators (32 bytes, internal), security keys (64 bytes, usb, often nfc), and
 * passkeys whose browser reported no transports (registration then stores []). Rough shares; a
 * deployment that knows its own mix can tune the weights, as long as every shape it stores appears
 * here. (Any change re-draws the lists of some unknown emails, which someone who noted them before
 * could see: tune once, before launch.)
 */
export const DECOY_PROFILES: readonly DecoyProfile[] = [
  { bytes: 16, transports: ["hybrid", "internal"], weight: 8 },
  { bytes: 20, transports: ["hybrid", "internal"], weight: 4 },
  { bytes: 32, transports: ["hybrid", "internal"], weight: 3 },
  { bytes: 32, transports: ["internal"], weight: 3 },
  { bytes: 64, transports: ["nfc", "usb"], weight: 2 },
  { bytes: 64, transports: ["usb"], weight: 2 },
  { bytes: 16, transports: [], weight: 1 },
  { bytes: 32, transports: [], weight: 1 },
];

/**
 * How many passkeys an account has: mostly one, some two, fewer three to five. The vault sets no
 * upper limit, so an account with more than five stands out; such accounts are rare.
 */
export const DECOY_COUNTS: readonly { count: number; weight: number }[] = [
  { count: 1, weight: 24 },
  { count: 2, weight: 12 },
  { count: 3, weight: 4 },
  { count: 4, weight: 2 },
  { count: 5, weight: 1 },
];

/** The decoy allowCredentials for `email` (already normalised): 1–5 credentials, stable per email. */
export function decoyCredentials(secret: string, email: string): { id: string; transports: string[] }[] {
  const derive = (label: string, length: number) => deriveBytes(secret, `decoy-credentials:${email}:${label}`, length);
  const { count } = pick(DECOY_COUNTS, derive("count", 4));
  return Array.from({ length: count }, (_, index) => {
    const profile = pick(DECOY_PROFILES, derive(`profile:${index}`, 4));
    return { id: derive(`id:${index}`, profile.bytes).toString("base64url"), transports: [...profile.transports] };
  });
}

/** `length` bytes from HMAC-SHA256(secret, label || counter), as many blocks as it takes. */
function deriveBytes(secret: string, label: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let block = 0; blocks.length * 32 < length; block++) {
    blocks.push(createHmac("sha256", secret).update(`${label}:${block}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** A weighted choice driven by 32 derived bits (the bias is far below what any observer could see). */
function pick<T extends { weight: number }>(options: readonly T[], random: Buffer): T {
  const total = options.reduce((sum, option) => sum + option.weight, 0);
  let target = (random.readUInt32BE(0) / 2 ** 32) * total;
  for (const option of options) {
    target -= option.weight;
    if (target < 0) return option;
  }
  return options.at(-1)!;
}
