import { defineConfig, devices } from "@playwright/test";
import { E2E_DATABASE, E2E_ORIGIN } from "./e2e/support/database";
import { E2E_OUTBOX_DIR } from "./e2e/support/outbox";
import { findChromium } from "./scripts/ensure-browser.mjs";

const BASE_URL = E2E_ORIGIN;
const CI = !!process.env.CI;

export default defineConfig({
  testDir: "e2e",
  // The app is served once (next start) and shared; 2 cores also run the server and the browsers.
  workers: CI ? 1 : 2,
  retries: 0,
  forbidOnly: CI,
  reporter: CI ? "list" : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  globalTimeout: 15 * 60_000, // the whole suite must stay well under CI's budget
  use: {
    baseURL: BASE_URL,
    // With no retries, "on-first-retry" would never record: keep the trace of a first failure instead.
    trace: "retain-on-first-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // undefined lets Playwright use its own download; `node scripts/ensure-browser.mjs` installs one.
          executablePath: findChromium(),
          args: [
            "--no-sandbox", // runs as root in containers, where the sandbox cannot start
            "--disable-gpu",
            "--disable-dev-shm-usage", // small /dev/shm in containers crashes renderers
            // No traffic to Google's services: there is no network but the package registries.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  // E2E_NO_SERVER=1 runs the specs that need no app (e2e/fixture.spec.ts serves its own page
  // with page.route), e.g. to check the browser and the virtual authenticator before a build.
  // The webServer is global in Playwright, so filtering to one spec would still start the app.
  webServer:
    process.env.E2E_NO_SERVER === "1"
      ? undefined
      : {
          // Migrates a fresh test database, then `next start` on E2E_ORIGIN's port (needs `next build` first).
          command: "npm run e2e:server",
          url: BASE_URL,
          reuseExistingServer: !CI,
          timeout: 120_000,
          env: {
            DATABASE_URL: E2E_DATABASE.url,
            APP_ORIGIN: BASE_URL,
            // TEST-ONLY secret for the throwaway e2e database; never use it anywhere else.
            AUTH_SECRET: "e2e-test-only-secret-do-not-use-in-production",
            // TEST-ONLY too: next-auth's session encryption (e2e/next-auth.spec.ts). NEXTAUTH_URL stays
            // unset, as in a real deployment: it follows APP_ORIGIN (lib/integrations/next-auth.ts).
            NEXTAUTH_SECRET: "e2e-next-auth-test-only-secret-do-not-use",
            // Serves /design-system, the component gallery e2e/ui.spec.ts tests the components on.
            UI_GALLERY: "1",
            // Rate limits run with their production defaults (.env.example), with two settings:
            // - The tests play the deployment's reverse proxy, which sets X-Real-IP: the attacker
            //   specs (e2e/hardening-limits.spec.ts) give each client its own address there.
            //   Requests without it (every other spec) share the "unknown" bucket, as direct
            //   requests to a server behind a proxy would; a whole run stays well under its limits.
            TRUSTED_CLIENT_IP_HEADER: "x-real-ip",
            // The per-email window, 60 s in production, is 5 s so the spec that waits one out is quick.
            RATE_LIMIT_PER_EMAIL: "5/5",
            // The principal API's id_tokens name the relying backends, not the app (e2e/principal-api.spec.ts).
            ID_TOKEN_AUDIENCE: "https://backend.example",
            // Mail goes to the development outbox (lib/mail), which e2e/recovery.spec.ts reads; a
            // production build writes it only because MAIL_OUTBOX=1 says so.
            MAIL_OUTBOX: "1",
            MAIL_OUTBOX_DIR: E2E_OUTBOX_DIR,
          },
        },
});
