import { describe, expect, it } from "vitest";
import { ConfigurationError, loadVaultConfig } from "../../lib/vault/config";

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

  it("gives id_tokens their own audience by default, never the session JWTs'", () => {
    const config = loadVaultConfig({ AUTH_SECRET: SECRET, APP_ORIGIN: "https://app.example.com" });
    expect(config).toMatchObject({ audience: "https://app.example.com", idTokenAudience: "https://app.example.com#id_token" });
    expect(loadVaultConfig({ AUTH_SECRET: SECRET, ID_TOKEN_AUDIENCE: "https://api.example.com" }).idTokenAudience).toBe("https://api.example.com");
  });

  it.each([
    ["ID_TOKEN_AUDIENCE set to APP_ORIGIN, the default JWT_AUDIENCE", { ID_TOKEN_AUDIENCE: "http://localhost:3000" }],
    ["both set to one value", { JWT_AUDIENCE: "https://api.example.com", ID_TOKEN_AUDIENCE: "https://api.example.com" }],
    ["JWT_AUDIENCE set to the default id_token audience", { JWT_AUDIENCE: "http://localhost:3000#id_token" }],
    ["ID_TOKEN_AUDIENCE set to the recovery tokens' audience", { ID_TOKEN_AUDIENCE: "http://localhost:3000#recovery" }],
  ])("refuses %s: a verifier that skips typ could take an id_token for a session", (_, env) => {
    expect(() => loadVaultConfig({ AUTH_SECRET: SECRET, ...env })).toThrow(ConfigurationError);
    expect(() => loadVaultConfig({ AUTH_SECRET: SECRET, ...env })).toThrow(/ID_TOKEN_AUDIENCE .* must differ from .* JWT_AUDIENCE/);
  });

  it("accepts APP_ORIGIN as the id_token audience when sessions have another", () => {
    const config = loadVaultConfig({ AUTH_SECRET: SECRET, JWT_AUDIENCE: "https://sessions.example", ID_TOKEN_AUDIENCE: "http://localhost:3000" });
    expect(config).toMatchObject({ audience: "https://sessions.example", idTokenAudience: "http://localhost:3000" });
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
