// Steps many end-to-end tests share, done the way a person does them.
import { expect, type Page } from "@playwright/test";
import { SoftAuthenticator } from "../../test/support/soft-authenticator";
import { E2E_ORIGIN } from "./database";

let counter = 0;
export const uniqueEmail = (prefix = "e2e") => `${prefix}.${Date.now()}.${++counter}@example.com`;

/**
 * An email with no account, for email-first sign-in. Unknown emails get decoys shaped like real
 * accounts' passkeys (lib/vault/decoys.ts); this one's, fixed by the e2e AUTH_SECRET, looks like a
 * synced passkey, which Chromium refuses at once. For a decoy shaped like a security key it would
 * wait for the key to be plugged in, as it does for a real account with one.
 */
export const UNKNOWN_EMAIL = "no-account@example.com";

/**
 * The virtual authenticator answers an autofill (conditional) request at once, as if the person
 * picked their passkey from the suggestions; a real person would not. Tests that sign in with a
 * button hide autofill, as a browser without conditional mediation would.
 */
export async function withoutAutofill(page: Page) {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

/** Creates an account with a passkey from /register and lands on /account. */
export async function register(page: Page, email: string, name = "Ada Lovelace") {
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  // A ceremony, a code exchange and a redirect: generous on a loaded 2-core machine.
  await expect(page).toHaveURL("/account", { timeout: 15_000 });
}

/**
 * Adds a passkey to the signed-in account over HTTP, as another device would (a software
 * authenticator, so this browser's virtual one keeps only its own), then reloads the page to show
 * it. Answers that authenticator, which can sign in to the account elsewhere.
 */
export async function addPasskeyElsewhere(page: Page): Promise<SoftAuthenticator> {
  const passkeys = page.getByTestId("passkeys").getByTestId("passkey");
  const before = await passkeys.count();
  const headers = { "Content-Type": "application/json", Origin: E2E_ORIGIN };
  const start = await page.request.post("/api/passkey/registration/authorize", { headers, data: "{}" });
  expect(start.status()).toBe(200);
  const { token, options } = await start.json();
  const authenticator = new SoftAuthenticator({ origin: E2E_ORIGIN });
  const { response } = await authenticator.register(options);
  const verify = await page.request.post("/api/passkey/registration/verify", { headers, data: JSON.stringify({ token, response }) });
  expect(verify.status()).toBe(200);
  await page.reload();
  await expect(passkeys).toHaveCount(before + 1);
  return authenticator;
}
