// The real app for scripts that look at it (npm run screenshots, npm run lighthouse): the
// production build (`next build` first) served by scripts/e2e-server.mjs on a fresh throwaway
// SQLite database, and a Chromium with a CDP virtual authenticator to create accounts with passkeys.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import Database from "better-sqlite3";
import { parseDatabaseUrl } from "../lib/database-url.mjs";
import { findChromium } from "./ensure-browser.mjs";

/** Chromium's flags for containers and no network, as in playwright.config.ts. */
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * Starts the app on E2E_PORT (3100 by default) with a new, empty database `data/<name>.db`.
 * Answers its origin, `ageSessions(email)` (so the next sensitive change needs step-up) and `stop()`.
 */
export async function startApp(name) {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build` first");
  const origin = `http://localhost:${process.env.E2E_PORT || "3100"}`;
  if (await answers(origin)) throw new Error(`something already listens on ${origin}: stop it, or set E2E_PORT`);
  const databaseUrl = `file:./data/${name}.db`;
  const server = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      APP_ORIGIN: origin,
      // TEST-ONLY secret for a throwaway database; never use it anywhere else.
      AUTH_SECRET: "throwaway-test-only-secret-do-not-use-in-production",
      NEXTAUTH_SECRET: "throwaway-next-auth-test-only-secret-do-not-use",
      // Mail to the local outbox (data/outbox), not a refusal in the log: the account it creates is mailed its code.
      MAIL_OUTBOX: "1",
    },
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const stop = async () => {
    server.kill("SIGTERM");
    await exited;
  };
  for (let waited = 0; !(await answers(origin)); waited += 250) {
    if (server.exitCode !== null || waited > 120_000) {
      await stop();
      throw new Error(`the app did not start on ${origin}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const { file } = parseDatabaseUrl(databaseUrl);
  /** As e2e/support/database.ts's ageSessionsOf: the session signed in 10 minutes ago. */
  function ageSessions(email) {
    const db = new Database(file);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString().replace("Z", "+00:00");
    db.prepare(`UPDATE sessions SET "authTime" = ? WHERE "userId" = (SELECT id FROM users WHERE email = ?)`).run(tenMinutesAgo, email);
    db.close();
  }
  return { origin, ageSessions, stop };
}

async function answers(origin) {
  try {
    await fetch(origin, { redirect: "manual" });
    return true;
  } catch {
    return false;
  }
}

export function launchBrowser() {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_FLAGS });
}

/**
 * A page with a virtual platform authenticator (as e2e/fixtures.ts), and without autofill: the
 * virtual authenticator would answer the sign-in page's autofill request at once.
 */
export async function pageWithPasskeys(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const authenticator = {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    add: (credential) => cdp.send("WebAuthn.addCredential", { authenticatorId, credential }),
  };
  return { page, authenticator };
}

/** Creates an account with a passkey from /register, as a person would, and waits for /account. */
export async function createAccount(page, email, name) {
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await page.waitForURL("**/account", { timeout: 15_000 });
}
