#!/usr/bin/env node
// The app as the end-to-end tests see it: a fresh database (so every run starts empty), migrated
// with the real CLI, then the production build served by `next start`. playwright.config.ts sets
// DATABASE_URL (SQLite file, or PostgreSQL), APP_ORIGIN, AUTH_SECRET and NEXTAUTH_SECRET.
import { rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parseDatabaseUrl } from "../lib/database-url.mjs";

// This deletes the database, so DATABASE_URL must name one: never fall back to the default
// (the developer's own data/dev.db).
if (!process.env.DATABASE_URL) throw new Error("e2e-server: set DATABASE_URL to the throwaway end-to-end database");
const database = parseDatabaseUrl(process.env.DATABASE_URL);

async function freshDatabase() {
  if (database.provider === "sqlite") {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(database.file + suffix, { force: true });
    return;
  }
  // PostgreSQL: drop and re-create the database, from the server's maintenance database.
  const url = database.url;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to re-create database "${name}"`);
  const admin = new URL(url);
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

await freshDatabase();
// The outbox too: the recovery spec reads the mail it sent, and no other run's.
if (process.env.MAIL_OUTBOX_DIR) rmSync(process.env.MAIL_OUTBOX_DIR, { recursive: true, force: true });
const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "inherit" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const nextBin = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));
const port = new URL(process.env.APP_ORIGIN ?? "http://localhost:3100").port || "3100";
const server = spawn(process.execPath, [nextBin, "start", "-p", port], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
