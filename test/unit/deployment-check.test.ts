import { describe, expect, it } from "vitest";
import { checkDeployment } from "../../lib/deployment-check";
import { loadVaultConfig, resolveOrigin } from "../../lib/vault/config";

const SECRET = "x".repeat(32);
const POSTGRES = "postgresql://app:pw@db.example:5432/passkeys";
/** What Vercel sets on every deployment (https://vercel.com/docs/environment-variables/system-environment-variables). */
const VERCEL_PRODUCTION = {
  NODE_ENV: "production",
  VERCEL: "1",
  VERCEL_ENV: "production",
  VERCEL_URL: "passkeys-abc123-team.vercel.app",
  VERCEL_BRANCH_URL: "passkeys-git-main-team.vercel.app",
  VERCEL_PROJECT_PRODUCTION_URL: "passkeys.example.com",
};
const VERCEL_PREVIEW = {
  ...VERCEL_PRODUCTION,
  VERCEL_ENV: "preview",
  VERCEL_URL: "passkeys-def456-team.vercel.app",
  VERCEL_BRANCH_URL: "passkeys-git-feature-team.vercel.app",
};

describe("the app's origin", () => {
  it("follows the port the development server listens on, unless APP_ORIGIN says otherwise", () => {
    expect(resolveOrigin({ NODE_ENV: "development" })).toBe("http://localhost:3000");
    expect(resolveOrigin({ NODE_ENV: "development", PORT: "3200" })).toBe("http://localhost:3200");
    expect(loadVaultConfig({ AUTH_SECRET: SECRET, PORT: "3001" })).toMatchObject({ origin: "http://localhost:3001", rpId: "localhost" });
    expect(resolveOrigin({ NODE_ENV: "development", PORT: "3200", APP_ORIGIN: "http://localhost:4000" })).toBe("http://localhost:4000");
  });

  it("is the project's production domain on Vercel production, with it as the RP ID", () => {
    expect(loadVaultConfig({ ...VERCEL_PRODUCTION, AUTH_SECRET: SECRET })).toMatchObject({
      origin: "https://passkeys.example.com",
      rpId: "passkeys.example.com",
    });
  });

  it("is the branch URL on a preview (stable across the branch's deployments), else the deployment URL", () => {
    expect(resolveOrigin(VERCEL_PREVIEW)).toBe("https://passkeys-git-feature-team.vercel.app");
    expect(resolveOrigin({ ...VERCEL_PREVIEW, VERCEL_BRANCH_URL: "" })).toBe("https://passkeys-def456-team.vercel.app");
  });

  it("is APP_ORIGIN (and RP_ID) when set, on Vercel too: a custom domain", () => {
    expect(
      loadVaultConfig({ ...VERCEL_PREVIEW, AUTH_SECRET: SECRET, APP_ORIGIN: "https://staging.example.com", RP_ID: "example.com" }),
    ).toMatchObject({ origin: "https://staging.example.com", rpId: "example.com" });
  });

  it("follows the port under vercel dev (VERCEL_ENV=development)", () => {
    expect(resolveOrigin({ VERCEL: "1", VERCEL_ENV: "development", VERCEL_URL: "localhost:3000", PORT: "3000" })).toBe(
      "http://localhost:3000",
    );
  });

  it("is never a default in production: no APP_ORIGIN off Vercel, or Vercel without its URL, is refused by name", () => {
    expect(() => resolveOrigin({ NODE_ENV: "production", PORT: "3000" })).toThrow(/APP_ORIGIN must be set in production/);
    expect(() => resolveOrigin({ ...VERCEL_PRODUCTION, VERCEL_PROJECT_PRODUCTION_URL: "" })).toThrow(
      /VERCEL_PROJECT_PRODUCTION_URL/,
    );
    expect(() => resolveOrigin({ NODE_ENV: "production", APP_ORIGIN: "http://passkeys.example.com" })).toThrow(/must be https/);
  });
});

describe("checkDeployment", () => {
  const production = { NODE_ENV: "production", AUTH_SECRET: SECRET, DATABASE_URL: POSTGRES, APP_ORIGIN: "https://app.example.com" };

  it("passes a complete production configuration, on Vercel too", () => {
    expect(() => checkDeployment(production)).not.toThrow();
    expect(() => checkDeployment({ ...VERCEL_PRODUCTION, AUTH_SECRET: SECRET, DATABASE_URL: POSTGRES })).not.toThrow();
    // A production build tried on this machine: explicit http://localhost and an SQLite file.
    expect(() =>
      checkDeployment({ ...production, APP_ORIGIN: "http://localhost:3000", DATABASE_URL: "file:./data/dev.db" }),
    ).not.toThrow();
  });

  it("passes development with nothing but a secret", () => {
    expect(() => checkDeployment({ NODE_ENV: "development", AUTH_SECRET: SECRET })).not.toThrow();
  });

  it.each([
    ["no AUTH_SECRET", { AUTH_SECRET: undefined }, /AUTH_SECRET must be at least 32 characters/],
    ["a short AUTH_SECRET", { AUTH_SECRET: "short" }, /AUTH_SECRET must be at least 32 characters/],
    ["no DATABASE_URL", { DATABASE_URL: undefined }, /DATABASE_URL must be set in production/],
    ["a DATABASE_URL of another kind", { DATABASE_URL: "mysql://db/app" }, /DATABASE_URL has the unsupported scheme/],
    ["no APP_ORIGIN", { APP_ORIGIN: undefined }, /APP_ORIGIN must be set in production/],
    ["an http origin", { APP_ORIGIN: "http://app.example.com" }, /APP_ORIGIN must be https/],
    ["a bad rate limit", { RATE_LIMIT_CHALLENGES: "lots" }, /RATE_LIMIT_CHALLENGES/],
  ])("refuses production with %s, naming the variable", (_, change, message) => {
    expect(() => checkDeployment({ ...production, ...change })).toThrow(message);
  });

  it("refuses an SQLite file, or no database, on Vercel", () => {
    const vercel = { ...VERCEL_PRODUCTION, AUTH_SECRET: SECRET };
    expect(() => checkDeployment({ ...vercel, DATABASE_URL: "file:./data/dev.db" })).toThrow(/PostgreSQL URL on Vercel/);
    expect(() => checkDeployment(vercel)).toThrow(/DATABASE_URL must be set in production/);
  });

  it("never repeats a secret in its message", () => {
    const password = "hunter2-database-password";
    for (const env of [
      { ...production, AUTH_SECRET: "short-secret-value" },
      { ...production, DATABASE_URL: `mysql://app:${password}@db/app` },
    ]) {
      let message = "";
      try {
        checkDeployment(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Configuration error: /);
      expect(message).not.toContain("short-secret-value");
      expect(message).not.toContain(password);
    }
  });
});
