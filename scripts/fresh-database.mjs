// Empties a throwaway database (the e2e suite's, the benchmark's, the Vercel-build run's) before a
// run: an SQLite file is deleted with its journal and WAL files; a PostgreSQL database is dropped
// and re-created through the server's maintenance database "postgres". Migrations come after.
import { rmSync } from "node:fs";
import pg from "pg";
import { parseDatabaseUrl } from "../lib/database-url.mjs";

/**
 * Deletes every row of the database `databaseUrl` names, by deleting the database. `allowed` guards
 * a PostgreSQL URL pointing at real data: a database name it does not match is refused before
 * anything is dropped.
 */
export async function freshDatabase(databaseUrl, allowed = /^[a-z0-9_]+$/) {
  const database = parseDatabaseUrl(databaseUrl);
  if (database.provider === "sqlite") {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(database.file + suffix, { force: true });
    return;
  }
  const name = decodeURIComponent(new URL(database.url).pathname.slice(1));
  if (!allowed.test(name)) throw new Error(`refusing to re-create database "${name}" (allowed: ${allowed})`);
  const admin = new URL(database.url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
