// Steps many end-to-end tests share, done the way a person does them.
import { expect, type Page } from "@playwright/test";

let counter = 0;
export const uniqueEmail = (prefix = "e2e") => `${prefix}.${Date.now()}.${++counter}@example.com`;

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
  await expect(page).toHaveURL("/account");
}
