import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { databaseFromEnv, DEFAULT_DATABASE_URL, migrationDatabaseFromEnv, parseDatabaseUrl, PROJECT_ROOT } from "../../lib/database-url.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The file of an SQLite URL (and a failed test for any other). */
function sqliteFile(url: string): string {
  const database = parseDatabaseUrl(url);
  if (database.provider !== "sqlite") throw new Error(`${url} is not SQLite`);
  return database.file;
}

describe("databaseFromEnv", () => {
  const defaultDatabase = { provider: "sqlite", url: "file:./data/dev.db", file: path.join(ROOT, "data", "dev.db") };

  it("is the SQLite file data/dev.db in the project when DATABASE_URL is unset", () => {
    expect(DEFAULT_DATABASE_URL).toBe("file:./data/dev.db");
    expect(databaseFromEnv({})).toEqual(defaultDatabase);
  });

  it("is the same default when DATABASE_URL is empty (DATABASE_URL= in .env)", () => {
    expect(databaseFromEnv({ DATABASE_URL: "" })).toEqual(defaultDatabase);
  });

  it("reads DATABASE_URL", () => {
    const url = "postgresql://app@db.example:5432/passkeys";
    expect(databaseFromEnv({ DATABASE_URL: url })).toEqual({ provider: "postgresql", url });
  });

  it("names DATABASE_URL when it is wrong", () => {
    expect(() => databaseFromEnv({ DATABASE_URL: "mysql://localhost/app" })).toThrow(/^DATABASE_URL /);
  });
});

describe("parseDatabaseUrl", () => {
  it("finds the project root from its own location, not the working directory", () => {
    expect(path.resolve(PROJECT_ROOT)).toBe(path.resolve(ROOT));
  });

  it("resolves a relative file: path against the project root", () => {
    expect(parseDatabaseUrl("file:./data/other.db")).toEqual({
      provider: "sqlite",
      url: "file:./data/other.db",
      file: path.join(ROOT, "data", "other.db"),
    });
    expect(sqliteFile("file:data/other.db")).toBe(path.join(ROOT, "data", "other.db"));
    expect(sqliteFile("file:../elsewhere.db")).toBe(path.resolve(ROOT, "..", "elsewhere.db"));
  });

  it("keeps an absolute file: path", () => {
    const file = path.resolve("/tmp/passkeys/test.db");
    expect(parseDatabaseUrl(`file:${file}`)).toEqual({ provider: "sqlite", url: `file:${file}`, file });
  });

  it("ignores the ?query of a file: URL in the file path, and keeps it in the URL", () => {
    expect(parseDatabaseUrl("file:./data/dev.db?connection_limit=1")).toEqual({
      provider: "sqlite",
      url: "file:./data/dev.db?connection_limit=1",
      file: path.join(ROOT, "data", "dev.db"),
    });
  });

  it.each([
    "postgres://app:secret@db.example:5432/passkeys",
    "postgresql://app:secret@db.example:5432/passkeys?sslmode=require",
    "postgresql://postgres@127.0.0.1/postgres",
  ])("takes %s for PostgreSQL, URL unchanged", (url) => {
    expect(parseDatabaseUrl(url)).toEqual({ provider: "postgresql", url });
  });

  it.each([
    ["POSTGRESQL://app@db.example/passkeys", "postgresql"],
    ["Postgres://app@db.example/passkeys", "postgresql"],
    ["FILE:./data/dev.db", "sqlite"],
  ])("reads the scheme of %s in any case", (url, provider) => {
    expect(parseDatabaseUrl(url).provider).toBe(provider);
  });

  it.each([
    ["another database's URL", "mysql://app:secret@db.example:3306/passkeys", /unsupported scheme `mysql:`/],
    ["words", "not a url", /is not a URL/],
    ["a bare path, without file:", "./data/dev.db", /is not a URL/],
    ["file: with no path", "file:", /`file:` with no path/],
    ["file: with only a query", "file:?mode=memory", /`file:` with no path/],
    ["a PostgreSQL URL that does not parse", "postgresql://app@[::1/passkeys", /not a valid PostgreSQL URL/],
  ])("refuses %s with an error naming DATABASE_URL", (_, url, problem) => {
    expect(() => parseDatabaseUrl(url)).toThrow(/^DATABASE_URL /);
    expect(() => parseDatabaseUrl(url)).toThrow(problem);
  });

  it("names the variable the URL came from, and never repeats the URL (it may hold a password)", () => {
    let message = "";
    try {
      parseDatabaseUrl("mysql://app:hunter2@db.example/passkeys", "E2E_DATABASE_URL");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^E2E_DATABASE_URL /);
    expect(message).not.toContain("hunter2");
  });
});

describe("databaseFromEnv on Vercel", () => {
  it("refuses an SQLite file, or no DATABASE_URL at all: the file system there is read-only and per instance", () => {
    expect(() => databaseFromEnv({ VERCEL: "1" })).toThrow(/DATABASE_URL must be a PostgreSQL URL on Vercel \(it is not set\)/);
    expect(() => databaseFromEnv({ VERCEL: "1", DATABASE_URL: "file:./data/dev.db" })).toThrow(/names an SQLite file/);
  });

  it("takes PostgreSQL", () => {
    const url = "postgresql://app:secret@ep-example-pooler.neon.tech/neondb?sslmode=require";
    expect(databaseFromEnv({ VERCEL: "1", DATABASE_URL: url })).toEqual({ provider: "postgresql", url });
  });
});

describe("migrationDatabaseFromEnv", () => {
  const pooled = "postgresql://app:pw@ep-example-pooler.neon.tech/neondb?sslmode=require";
  const direct = "postgresql://app:pw@ep-example.neon.tech/neondb?sslmode=require";

  it("is the direct URL for migrations where the host gives one: DIRECT_URL, else DATABASE_URL_UNPOOLED", () => {
    expect(migrationDatabaseFromEnv({ DATABASE_URL: pooled, DIRECT_URL: direct }).url).toBe(direct);
    expect(migrationDatabaseFromEnv({ DATABASE_URL: pooled, DATABASE_URL_UNPOOLED: direct }).url).toBe(direct);
    expect(migrationDatabaseFromEnv({ DATABASE_URL: pooled }).url).toBe(pooled);
  });

  it("ignores them for SQLite, and refuses a direct URL that is not PostgreSQL, by name", () => {
    expect(migrationDatabaseFromEnv({ DATABASE_URL: "file:./data/x.db", DIRECT_URL: direct }).provider).toBe("sqlite");
    expect(() => migrationDatabaseFromEnv({ DATABASE_URL: pooled, DIRECT_URL: "file:./x.db" })).toThrow(/^DIRECT_URL must be a PostgreSQL URL/);
  });
});
