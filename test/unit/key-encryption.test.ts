import { describe, expect, it } from "vitest";
import { decryptPrivateKey, encryptPrivateKey } from "../../lib/vault/key-encryption";

const SECRET = "s".repeat(40);

describe("signing key encryption", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = encryptPrivateKey("-----BEGIN PRIVATE KEY-----", SECRET, "kid-1");
    const b = encryptPrivateKey("-----BEGIN PRIVATE KEY-----", SECRET, "kid-1");
    expect(a).not.toBe(b);
    expect(decryptPrivateKey(a, SECRET, "kid-1")).toBe("-----BEGIN PRIVATE KEY-----");
  });

  it("fails under another AUTH_SECRET", () => {
    const sealed = encryptPrivateKey("key", SECRET, "kid-1");
    expect(() => decryptPrivateKey(sealed, "t".repeat(40), "kid-1")).toThrow(/AUTH_SECRET is not the one/);
  });

  it("fails when the ciphertext is moved to another key id", () => {
    const sealed = encryptPrivateKey("key", SECRET, "kid-1");
    expect(() => decryptPrivateKey(sealed, SECRET, "kid-2")).toThrow();
  });

  it("fails when tampered with", () => {
    const [v, iv, ct, tag] = encryptPrivateKey("key material", SECRET, "kid-1").split(".");
    const flipped = Buffer.from(ct!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decryptPrivateKey([v, iv, flipped.toString("base64url"), tag].join("."), SECRET, "kid-1")).toThrow();
  });
});
