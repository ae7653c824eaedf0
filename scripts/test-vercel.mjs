#!/usr/bin/env node
// `npm run test:vercel`: the build Vercel runs, here, offline, then the end-to-end suite against it
// on PostgreSQL with the environment Vercel sets. Not part of `npm test` (about 5 minutes more).
//
// 1. `vercel build --prod` (the Vercel CLI, pinned below; no account or network needed with a local
//    .vercel/project.json, which this writes when missing: it is git-ignored) on a fresh PostgreSQL
//    database, with VERCEL=1, VERCEL_ENV, VERCEL_URL and VERCEL_PROJECT_PRODUCTION_URL set. It runs
//    vercel.json's buildCommand (`npm run vercel-build`: `prisma migrate deploy`, then `next build`)
//    and writes the Build Output (.vercel/output).
// 2. Checks the Build Output: the migrations were applied at build time, the cron is declared,
//    and there is a function for every route.
// 3. The whole Playwright suite against the production server of that build (`next start` on the
//    `.next` it produced), on PostgreSQL, with the Vercel variables set. The functions in
//    .vercel/output run Next.js in "minimal mode" behind Vercel's own router, which has no offline
//    equivalent, so the server is Next's own over the same build.
//
// Needs TEST_POSTGRES_URL (a server database to create the test database from), or
// E2E_DATABASE_URL naming a PostgreSQL database to re-create. E2E_PORT as for the e2e suite.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import pg from "pg";
import { freshDatabase } from "./fresh-database.mjs";

/** The newest Vercel CLI that installs from the npm registry here (64 and 61–63 miss dependencies). */
const VERCEL_CLI = "vercel@60.1.3";
const port = process.env.E2E_PORT || "3100";

function databaseUrl() {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  if (!process.env.TEST_POSTGRES_URL) {
    console.error("test:vercel needs PostgreSQL: set TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres).");
    process.exit(1);
  }
  const url = new URL(process.env.TEST_POSTGRES_URL);
  url.pathname = `/passkeys_vercel_${port}`;
  return url.toString();
}

async function appliedMigrations(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

function run(name, command, args, env) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(command, args, { stdio: "inherit", env });
  console.log(`=== ${name}: ${status === 0 ? "ok" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (status !== 0) process.exit(status ?? 1);
}

function check(condition, message) {
  if (!condition) {
    console.error(`test:vercel: ${message}`);
    process.exit(1);
  }
  console.log(`ok: ${message}`);
}

const url = databaseUrl();
// What Vercel sets on a production deployment (the values are this machine's stand-ins).
const vercelEnv = {
  VERCEL: "1",
  VERCEL_ENV: "production",
  VERCEL_URL: "passkeys-local-build.vercel.app",
  VERCEL_BRANCH_URL: "passkeys-git-main-local.vercel.app",
  VERCEL_PROJECT_PRODUCTION_URL: "passkeys.example.com",
};
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", VERCEL_TELEMETRY_DISABLED: "1", ...vercelEnv };

if (!existsSync(".vercel/project.json")) {
  mkdirSync(".vercel", { recursive: true });
  // A local project: `vercel build` needs its settings, not an account.
  writeFileSync(".vercel/project.json", JSON.stringify({ projectId: "prj_local", orgId: "team_local", settings: { framework: "nextjs" } }));
}

await freshDatabase(url);
run("vercel build", "npx", ["--yes", VERCEL_CLI, "build", "--yes", "--prod"], { ...env, DATABASE_URL: url });

const output = JSON.parse(readFileSync(".vercel/output/config.json", "utf8"));
check((await appliedMigrations(url)) > 0, "the build applied the migrations to DATABASE_URL (prisma migrate deploy)");
check(
  output.crons?.some((cron) => cron.path === "/api/cron/cleanup"),
  "the Build Output declares the cleanup cron",
);
for (const route of ["index", "login", "account", "api/cron/cleanup", "api/passkey/registration/verify", ".well-known/jwks.json", ".well-known/webauthn", "_middleware"]) {
  check(existsSync(`.vercel/output/functions/${route}.func/.vc-config.json`), `a function serves /${route === "index" ? "" : route}`);
}

// The e2e server re-creates the database and migrates it again, as for every e2e run.
run("e2e on the Vercel build (PostgreSQL)", process.execPath, ["node_modules/@playwright/test/cli.js", "test"], {
  ...env,
  E2E_DATABASE_URL: url,
  CI: process.env.CI ?? "1",
});
