// Recovery by email in a real Chromium with a CDP virtual authenticator: confirm the email with
// the mailed code, lose every passkey, recover with a code from the outbox, create a new passkey,
// sign in with it; every other session has ended.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_ORIGIN, snapshotOf } from "./support/database";
import { register, uniqueEmail, withoutAutofill } from "./support/flows";
import { codeIn, mailTo, waitForMail } from "./support/outbox";

test.beforeEach(({ page }) => withoutAutofill(page));

/** Confirms the signed-in account's email with the code it is mailed. */
async function confirmEmail(page: Page, email: string) {
  const box = page.getByTestId("verify-email");
  await box.getByRole("button", { name: "Email me a code" }).click();
  const { code } = codeIn(await waitForMail(email, "Confirm your email address"));
  await box.getByLabel("Code from the email").fill(code);
  await box.getByRole("button", { name: "Confirm email" }).click();
  await expect(page.getByText("Confirmed", { exact: true })).toBeVisible();
  await expect(page.getByTestId("verify-email")).toHaveCount(0);
}

/** From the login page to the recovery code step. */
async function askForCode(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("link", { name: "Lost your passkey?" }).click();
  await expect(page).toHaveURL("/recover");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await expect(page.getByText("Check your email")).toBeVisible();
}

test("recovers an account whose passkeys are lost: email code, new passkey, other sessions ended, sign in with it", async ({ page, authenticator }) => {
  const email = uniqueEmail("recover");
  await register(page, email);
  await confirmEmail(page, email);
  const before = await snapshotOf(email);
  expect(before.liveSessions).toHaveLength(1);

  // Every passkey lost, and this browser starts afresh (a new device).
  await authenticator.removeAll();
  await page.context().clearCookies();

  await askForCode(page, email);
  const { code } = codeIn(await waitForMail(email, "Your account recovery code"));
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  const added = authenticator.waitForCredentialAdded();
  await page.getByRole("button", { name: "Create a new passkey" }).click();
  await added;
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("notice")).toContainText("recovered");

  const after = await snapshotOf(email);
  expect(after.passkeys).toHaveLength(2);
  expect(after.liveSessions).toHaveLength(1);
  expect(after.liveSessions).not.toContain(before.liveSessions[0]);
  await waitForMail(email, "A passkey was added to your account");

  // The new passkey signs in like any other.
  await page.context().clearCookies();
  await page.goto("/login");
  const asserted = authenticator.waitForCredentialAsserted();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await asserted;
  await expect(page).toHaveURL("/account");
});

test("the emailed link recovers too, but a used code does not work twice", async ({ page, authenticator }) => {
  const email = uniqueEmail("recover-link");
  await register(page, email);
  await confirmEmail(page, email);
  await authenticator.removeAll();
  await page.context().clearCookies();

  await askForCode(page, email);
  const { code, link } = codeIn(await waitForMail(email, "Your account recovery code"));
  await page.goto(new URL(link).pathname + new URL(link).search);
  await page.getByRole("button", { name: "Continue recovery" }).click();
  await expect(page.getByRole("button", { name: "Create a new passkey" })).toBeVisible();

  // The recovery session is no session anywhere else: not for the account page, not for adding a
  // passkey the ordinary way, not for the sign-out of other sessions.
  const headers = { "Content-Type": "application/json", Origin: E2E_ORIGIN };
  const plainAdd = await page.request.post("/api/passkey/registration/authorize", { headers, data: "{}" });
  expect(plainAdd.status()).toBe(401);
  const stepUp = await page.request.post("/api/passkey/authentication/authorize", { headers, data: JSON.stringify({ reauthenticate: true }) });
  expect(stepUp.status()).toBe(401);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);

  // The same mail's code is spent with its link.
  await page.goto("/recover");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Check the digits, or ask for a new code")).toBeVisible();
});

test("an unknown or unconfirmed email gets the same answer and no mail", async ({ page }) => {
  const unknown = uniqueEmail("nobody");
  await askForCode(page, unknown);
  const unconfirmed = uniqueEmail("unconfirmed");
  await register(page, unconfirmed);
  await page.context().clearCookies();
  await askForCode(page, unconfirmed);
  // Mail goes after the response: give it the time it would take.
  await page.waitForTimeout(1_000);
  expect(mailTo(unknown)).toHaveLength(0);
  expect(mailTo(unconfirmed)).toHaveLength(0);
});

test("the development outbox page does not exist unless the outbox is on", async ({ page }) => {
  // The e2e server runs with MAIL_OUTBOX=1, so it lists mail; production without it answers 404
  // (lib/mail outboxEnabled, tested in test/unit/mail.test.ts).
  const response = await page.goto("/dev/outbox");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
});
