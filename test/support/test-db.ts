// Fresh, migrated databases for database-backed tests:
//
//   describe.each(testProviders())("something (%s)", (provider) => {
//     let testDb: TestDb;
//     beforeAll(async () => { testDb = await createTestDb(provider); });
//     afterAll(() => testDb.drop());
//   });
//
// SQLite always; PostgreSQL too when TEST_POSTGRES_URL names a server database to create test
// databases from (e.g. postgresql://postgres@127.0.0.1:5432/postgres). The committed migration
// files are applied directly, which is fast; test/db/migrations.test.ts covers applying them
// through the Prisma CLI.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseProvider } from "../../lib/database-url.mjs";
import { createDb, type Db } from "../../lib/db-client";

export type TestProvider = DatabaseProvider;

export interface TestDb {
  db: Db;
  url: string;
  /** Disconnects and deletes the database. */
  drop(): Promise<void>;
}

const PRISMA_DIR = fileURLToPath(new URL("../../prisma/", import.meta.url));

export function testProviders(): TestProvider[] {
  return process.env.TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];
}

export async function createTestDb(provider: TestProvider): Promise<TestDb> {
  return provider === "sqlite" ? createSqliteTestDb() : createPostgresTestDb();
}

/** The migration scripts of a provider, oldest first (directory names start with a timestamp). */
function migrationScripts(provider: TestProvider): string[] {
  const migrationsDir = path.join(PRISMA_DIR, provider, "migrations");
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"));
}

async function createSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "passkeys-test-db-"));
  const file = path.join(dir, "test.db");
  const sqlite = new Database(file);
  try {
    for (const script of migrationScripts("sqlite")) sqlite.exec(script);
  } finally {
    sqlite.close();
  }
  const url = `file:${file}`;
  const db = createDb(url);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresTestDb(): Promise<TestDb> {
  const url = uniquePostgresDatabaseUrl();
  await createPostgresDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Without parameters, one query may hold several statements.
    for (const script of migrationScripts("postgresql")) await client.query(script);
  } finally {
    await client.end();
  }
  const db = createDb(url);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      await dropPostgresDatabase(url);
    },
  };
}

/** The URL of a new, uniquely named database (not created yet) on the TEST_POSTGRES_URL server. */
export function uniquePostgresDatabaseUrl(): string {
  const url = new URL(serverUrl());
  url.pathname = `/passkeys_test_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  return url.toString();
}

export async function createPostgresDatabase(url: string): Promise<void> {
  await runOnServer(`CREATE DATABASE "${databaseName(url)}"`);
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  await runOnServer(`DROP DATABASE IF EXISTS "${databaseName(url)}"`);
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function serverUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set: PostgreSQL test databases are unavailable.");
  return url;
}

/** CREATE/DROP DATABASE run from the TEST_POSTGRES_URL database. */
async function runOnServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
