#!/usr/bin/env node
// Finds a Chromium for the end-to-end tests and prints its path; installs one
// when none is found. playwright.config.ts imports findChromium() from here.
//
//   node scripts/ensure-browser.mjs    # prints e.g. /usr/bin/chromium
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/** The first Chromium that exists, in order of preference, or undefined. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    // An explicit choice that is wrong must not silently fall back to another browser.
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const candidates = ["/usr/bin/chromium", playwrightChromium()];
  return candidates.find((path) => path !== undefined && existsSync(path));
}

/** Where `playwright install chromium` puts its browser (it may not be there). */
function playwrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // platform without a Playwright build
  }
}

/** Runs a shell command with its output on stderr (stdout is for the path); true on success. */
function run(command) {
  console.error(`$ ${command}`);
  try {
    execSync(command, { stdio: ["ignore", 2, 2] });
    return true;
  } catch {
    return false;
  }
}

function install() {
  console.error("No Chromium found; installing one.");
  // Playwright's download of its own build only works where its CDN can be reached.
  if (run("npx playwright install chromium")) return;
  // Otherwise Debian's chromium, which needs root (as on CI and the dev machines).
  if (process.getuid?.() === 0) {
    run("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium");
  }
}

if (process.argv[1] === import.meta.filename) {
  let path = findChromium();
  if (!path) {
    install();
    path = findChromium();
  }
  if (!path) {
    console.error(
      "No Chromium for the e2e tests. Install one (`npx playwright install chromium`, " +
        "or as root `apt-get install chromium`), or set CHROMIUM_PATH to a Chromium binary.",
    );
    process.exit(1);
  }
  console.log(path);
}
