#!/usr/bin/env node
// Writes a new migration for both providers from the change you made to prisma/models.prisma:
//
//   npm run db:migration -- add_something
//
// For each provider it applies the existing migrations to a scratch database, asks Prisma for the
// SQL that takes that database to the schema (`migrate diff`), and saves it under the same
// timestamped name in prisma/sqlite/migrations/ and prisma/postgresql/migrations/. Then it
// regenerates both clients. The scratch databases are deleted afterwards.
//
// Why not `prisma migrate dev`: it needs a "shadow database", which the offline schema-engine
// bridge (scripts/prisma-schema-engine.mjs) cannot provide for it; this is the same comparison
// done by hand. PostgreSQL needs a server to make the scratch database on: MIGRATION_POSTGRES_URL,
// else TEST_POSTGRES_URL, else a postgres DATABASE_URL (any database on the server; it is not touched).

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function prisma(args, databaseUrl) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prisma.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`prisma ${args.join(" ")} failed`);
  }
  return result.stdout;
}

/** The SQL from the migrations so far to the schema, or "" when there is nothing to do. */
function diff(provider, databaseUrl) {
  prisma(["migrate", "deploy"], databaseUrl);
  const out = prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", `prisma/${provider}`, "--script"], databaseUrl);
  const sql = out.slice(out.indexOf("--") === -1 ? out.length : out.indexOf("--")).trim();
  return sql === "-- This is an empty migration." ? "" : sql;
}

function sqliteDiff() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "passkeys-migration-"));
  try {
    return diff("sqlite", `file:${path.join(dir, "scratch.db")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresDiff() {
  const server =
    process.env.MIGRATION_POSTGRES_URL ||
    process.env.TEST_POSTGRES_URL ||
    (/^postgres(ql)?:/i.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined);
  if (!server) {
    throw new Error("A PostgreSQL server is needed for the PostgreSQL migration: set MIGRATION_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres).");
  }
  const name = `passkeys_migration_${process.pid}`;
  const scratch = new URL(server);
  scratch.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      return diff("postgresql", scratch.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const changes = { sqlite: sqliteDiff(), postgresql: await postgresDiff() };
if (!changes.sqlite && !changes.postgresql) {
  console.log("No changes: prisma/models.prisma matches the migrations.");
  process.exit(0);
}
for (const [provider, sql] of Object.entries(changes)) {
  const dir = path.join(ROOT, "prisma", provider, "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
  console.log(`wrote prisma/${provider}/migrations/${stamp}_${name}/migration.sql`);
}
prisma(["generate"], process.env.DATABASE_URL ?? "");
