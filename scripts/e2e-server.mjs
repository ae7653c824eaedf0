#!/usr/bin/env node
// The app as the end-to-end tests see it: a fresh database (so every run starts empty), migrated
// with the real CLI, then the production build served by `next start`. playwright.config.ts sets
// DATABASE_URL, APP_ORIGIN and AUTH_SECRET.
import { rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const url = process.env.DATABASE_URL ?? "";
if (!url.startsWith("file:")) throw new Error("e2e-server expects a SQLite DATABASE_URL (file:...)");
const file = url.slice("file:".length);
for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });

const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "inherit" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const nextBin = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));
const port = new URL(process.env.APP_ORIGIN ?? "http://localhost:3100").port || "3100";
const server = spawn(process.execPath, [nextBin, "start", "-p", port], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
