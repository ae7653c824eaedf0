import { describe, expect, it } from "vitest";
import { loadVaultConfig } from "../../lib/vault/config";

const SECRET = "x".repeat(32);

describe("loadVaultConfig", () => {
  it("runs on localhost with nothing but a secret", () => {
    expect(loadVaultConfig({ AUTH_SECRET: SECRET })).toMatchObject({
      origin: "http://localhost:3000",
      rpId: "localhost",
      audience: "http://localhost:3000",
      signingAlgorithm: "RS256",
      codeTtlSeconds: 60,
    });
  });

  it("accepts a parent domain as RP ID", () => {
    expect(loadVaultConfig({ AUTH_SECRET: SECRET, APP_ORIGIN: "https://app.example.com", RP_ID: "example.com" }).rpId).toBe("example.com");
  });

  it.each([
    ["a missing secret", {}],
    ["a short secret", { AUTH_SECRET: "short" }],
    ["plain http off localhost", { AUTH_SECRET: SECRET, APP_ORIGIN: "http://example.com" }],
    ["an origin with a path", { AUTH_SECRET: SECRET, APP_ORIGIN: "https://example.com/app" }],
    ["an unrelated RP ID", { AUTH_SECRET: SECRET, APP_ORIGIN: "https://app.example.com", RP_ID: "evil.example" }],
    ["a suffix that is not a parent domain", { AUTH_SECRET: SECRET, APP_ORIGIN: "https://badexample.com", RP_ID: "example.com" }],
    ["a symmetric algorithm", { AUTH_SECRET: SECRET, JWT_ALGORITHM: "HS256" }],
    ["a code TTL over 120 s", { AUTH_SECRET: SECRET, CODE_TTL_SECONDS: "121" }],
    ["a non-numeric TTL", { AUTH_SECRET: SECRET, SESSION_TTL_SECONDS: "1h" }],
  ])("refuses %s", (_, env) => {
    expect(() => loadVaultConfig(env)).toThrow(/Configuration error/);
  });
});

describe("RELATED_ORIGINS", () => {
  const env = { AUTH_SECRET: SECRET, APP_ORIGIN: "https://passkeys.example.com" };

  it("is empty unless set, and a list of origins when set (commas or spaces, duplicates once)", () => {
    expect(loadVaultConfig(env).relatedOrigins).toEqual([]);
    expect(
      loadVaultConfig({ ...env, RELATED_ORIGINS: "https://example.co.uk, https://staging.example.net https://example.co.uk/" })
        .relatedOrigins,
    ).toEqual(["https://example.co.uk", "https://staging.example.net"]);
  });

  it.each([
    ["plain http", "http://example.co.uk"],
    ["a path", "https://example.co.uk/app"],
    ["not a URL", "example.co.uk"],
  ])("refuses %s, naming RELATED_ORIGINS", (_, value) => {
    expect(() => loadVaultConfig({ ...env, RELATED_ORIGINS: value })).toThrow(/RELATED_ORIGINS/);
  });

  it("lets a deployment use another domain's RP ID only when its origin is among the related origins", () => {
    const preview = { AUTH_SECRET: SECRET, APP_ORIGIN: "https://staging.example.net", RP_ID: "passkeys.example.com" };
    expect(() => loadVaultConfig(preview)).toThrow(/list https:\/\/staging.example.net in RELATED_ORIGINS/);
    expect(loadVaultConfig({ ...preview, RELATED_ORIGINS: "https://staging.example.net" })).toMatchObject({
      origin: "https://staging.example.net",
      rpId: "passkeys.example.com",
    });
  });
});
