#!/usr/bin/env node
// The app as the end-to-end tests see it: a fresh database (so every run starts empty), migrated
// with the real CLI, then the production build served by `next start`. playwright.config.ts sets
// DATABASE_URL (SQLite file, or PostgreSQL), APP_ORIGIN, AUTH_SECRET and NEXTAUTH_SECRET.
import { rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freshDatabase } from "./fresh-database.mjs";

// This deletes the database, so DATABASE_URL must name one: never fall back to the default
// (the developer's own data/dev.db).
if (!process.env.DATABASE_URL) throw new Error("e2e-server: set DATABASE_URL to the throwaway end-to-end database");
await freshDatabase(process.env.DATABASE_URL);
// The outbox too: the recovery spec reads the mail it sent, and no other run's.
if (process.env.MAIL_OUTBOX_DIR) rmSync(process.env.MAIL_OUTBOX_DIR, { recursive: true, force: true });
const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "inherit" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const nextBin = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));
const port = new URL(process.env.APP_ORIGIN ?? "http://localhost:3100").port || "3100";
const server = spawn(process.execPath, [nextBin, "start", "-p", port], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
