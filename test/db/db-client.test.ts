// lib/db-client.ts loads the SQLite driver only for SQLite: a deployment on PostgreSQL never
// imports better-sqlite3 (a native module). Checked in a fresh Node process, as a server starts.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPoolOptions } from "../../lib/db-client";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Opens the database, runs one query, and prints the loaded modules whose path names better-sqlite3. */
const PROBE = `
  import { createRequire } from "node:module";
  import { createJiti } from "jiti";
  const { createDb } = await createJiti(import.meta.url).import("./lib/db-client.ts");
  const db = createDb(process.env.DATABASE_URL);
  await db.user.count();
  await db.$disconnect();
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes("better-sqlite3"));
  console.log(JSON.stringify(loaded));
`;

describe.each(testProviders())("createDb (%s)", (provider) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
  });
  afterAll(() => testDb.drop());

  it(provider === "postgresql" ? "never loads the SQLite driver" : "loads the SQLite driver on the first query", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", PROBE], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDb.url },
    });
    const loaded = JSON.parse(stdout.trim().split("\n").at(-1)!) as string[];
    if (provider === "postgresql") expect(loaded).toEqual([]);
    else expect(loaded.length).toBeGreaterThan(0);
  });
});

describe("postgresPoolOptions", () => {
  it("keeps a serverless instance's pool small and quick to let go, and DATABASE_POOL_MAX sizes it", () => {
    expect(postgresPoolOptions({ VERCEL: "1" })).toEqual({ max: 5, idleTimeoutMillis: 5_000, connectionTimeoutMillis: 10_000 });
    expect(postgresPoolOptions({})).toMatchObject({ max: 10 });
    expect(postgresPoolOptions({ VERCEL: "1", DATABASE_POOL_MAX: "2" })).toMatchObject({ max: 2 });
  });
});
