#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from the real app. Needs a production build
// (`npx next build`); starts it on a fresh throwaway database (port E2E_PORT, 3100 by default),
// creates an account with a virtual passkey, and writes docs/screenshots/<page>-<theme>-<size>.png
// for home, sign in, register, account and the step-up dialog, light and dark, desktop and mobile.
// Each picture is the first screen of the page (never a full-page image), so the files stay small.
import { mkdirSync } from "node:fs";
import { createAccount, launchBrowser, pageWithPasskeys, startApp } from "./throwaway-app.mjs";

const OUT = "docs/screenshots";
const EMAIL = "ada@example.com";
const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 }, userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" },
  mobile: { viewport: { width: 390, height: 844 }, userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36" },
};

mkdirSync(OUT, { recursive: true });
const app = await startApp("screenshots");
const browser = await launchBrowser();
try {
  let credential; // the account's passkey, created in the first browser and copied into the others
  for (const colorScheme of ["light", "dark"]) {
    for (const [size, device] of Object.entries(SIZES)) {
      const context = await browser.newContext({ ...device, baseURL: app.origin, colorScheme, reducedMotion: "reduce" });
      const { page, authenticator } = await pageWithPasskeys(context);
      /** The visible screen, cut to the page's height when it is shorter. */
      const shoot = async (name) => {
        const height = Math.min(device.viewport.height, await page.evaluate(() => document.documentElement.scrollHeight));
        await page.screenshot({ path: `${OUT}/${name}-${colorScheme}-${size}.png`, clip: { x: 0, y: 0, width: device.viewport.width, height } });
      };

      for (const [name, path] of [["home", "/"], ["sign-in", "/login"], ["register", "/register"]]) {
        await page.goto(path);
        await shoot(name);
      }

      if (!credential) {
        await createAccount(page, EMAIL, "Ada Lovelace");
        // The virtual authenticator has no known maker, so the passkey is plain "Passkey": name it.
        await page.getByRole("button", { name: /^Rename/ }).click();
        await page.getByLabel("Passkey name").fill("MacBook Pro");
        await page.getByRole("button", { name: "Save" }).click();
        await page.getByTestId("passkey-name").filter({ hasText: "MacBook Pro" }).waitFor();
      } else {
        await authenticator.add(credential);
        await page.goto("/login");
        await page.getByRole("button", { name: "Sign in with a passkey" }).click();
        await page.waitForURL("**/account");
      }
      await page.goto("/account"); // a fresh load: no "Account created" notice over the page
      await page.getByTestId("passkey-name").first().waitFor();
      await shoot("account");

      // Step-up: an old session adding a passkey is asked to confirm it's them.
      app.ageSessions(EMAIL);
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.getByRole("dialog", { name: "Confirm it's you" }).waitFor();
      await shoot("step-up");
      await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

      // Copied with its latest signature counter: the server refuses a counter that goes back.
      [credential] = await authenticator.credentials();
      // Signed out, so the next browser's account page lists only its own session.
      await page.getByRole("main").getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/login");
      await context.close();
      console.log(`${colorScheme} ${size}: done`);
    }
  }
} finally {
  await browser.close();
  await app.stop();
}
console.log(`Screenshots in ${OUT}/`);
