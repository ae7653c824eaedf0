#!/usr/bin/env node
// `npm test`: everything, in order, stopping at the first failure.
// 1. lint: ESLint and the TypeScript type check (`npm run lint`), first because it takes seconds
// 2. a Chromium for the end-to-end tests (found, or installed: see ensure-browser.mjs)
// 3. unit and integration tests (Vitest; PostgreSQL too when TEST_POSTGRES_URL is set)
// 4. the production build the end-to-end tests run against, and the benchmark's short mode on it
// 5. end-to-end tests (Playwright, CDP virtual authenticator) on SQLite, and again on PostgreSQL
//    when TEST_POSTGRES_URL is set (the deployed configuration)
import { spawnSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const node = (...args) => [process.execPath, ...args];
const playwright = node("node_modules/@playwright/test/cli.js", "test");
const steps = [
  // Through npm, so that this step is exactly package.json's `lint` script.
  ["lint", ["npm", "run", "lint"]],
  ["browser", node("scripts/ensure-browser.mjs")],
  ["unit", node("node_modules/vitest/vitest.mjs", "run")],
  ["build", node("node_modules/next/dist/bin/next", "build")],
  // The benchmark in its short mode (about 35 s): proves the harness still drives sign-in and
  // registration end to end without an error; its figures are not checked. Next to the e2e port.
  ["bench (short)", node("bench/run.mjs"), { BENCH_SHORT: "1", BENCH_SKIP_BUILD: "1", BENCH_PORT: String(Number(process.env.E2E_PORT || 3100) + 50) }],
  ["e2e (SQLite)", playwright],
];
if (process.env.TEST_POSTGRES_URL) {
  const url = new URL(process.env.TEST_POSTGRES_URL);
  // One database per e2e port, so two checkouts testing at once do not drop each other's.
  url.pathname = `/passkeys_e2e_${process.env.E2E_PORT || "3100"}`;
  // The specs whose outcome depends on the database; the others (the fixture check, the UI's
  // accessibility and layout checks) have run once already.
  const databaseSpecs = ["sign-in-loop", "api", "account", "account-api", "hardening-limits", "security-headers", "principal-api", "recovery", "next-auth"].map((name) => `e2e/${name}.spec.ts`);
  steps.push(["e2e (PostgreSQL)", [...playwright, ...databaseSpecs], { E2E_DATABASE_URL: url.toString() }]);
}

for (const [name, [command, ...args], extraEnv = {}] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(command, args, {
    stdio: ["inherit", name === "browser" ? "ignore" : "inherit", "inherit"],
    env: { ...env, ...extraEnv },
    // `npm` on PATH is npm.cmd on Windows, which only a shell can start.
    shell: command === "npm" && process.platform === "win32",
  });
  console.log(`=== ${name}: ${status === 0 ? "ok" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (status !== 0) process.exit(status ?? 1);
}
