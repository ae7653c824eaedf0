#!/usr/bin/env node
// `npm test`: everything, in order, stopping at the first failure.
// 1. a Chromium for the end-to-end tests (found, or installed: see ensure-browser.mjs)
// 2. unit and integration tests (Vitest; PostgreSQL too when TEST_POSTGRES_URL is set)
// 3. the production build the end-to-end tests run against
// 4. end-to-end tests (Playwright, CDP virtual authenticator)
import { spawnSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const steps = [
  ["browser", ["scripts/ensure-browser.mjs"]],
  ["unit", ["node_modules/vitest/vitest.mjs", "run"]],
  ["build", ["node_modules/next/dist/bin/next", "build"]],
  ["e2e", ["node_modules/@playwright/test/cli.js", "test"]],
];

for (const [name, args] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(process.execPath, args, { stdio: ["inherit", name === "browser" ? "ignore" : "inherit", "inherit"], env });
  console.log(`=== ${name}: ${status === 0 ? "ok" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (status !== 0) process.exit(status ?? 1);
}
