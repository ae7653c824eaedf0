// Email in a real Chromium with a CDP virtual authenticator: the email confirmed with the code
// mailed at sign-up; every passkey lost, recovered with a code from the outbox, a new passkey, a
// sign-in with it, every other session ended; an email squatted by someone else claimed by its
// owner; and a browser without WebAuthn signing in by email, unable to pass step-up.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_ORIGIN, snapshotOf } from "./support/database";
import { register, uniqueEmail, withoutAutofill } from "./support/flows";
import { codeIn, mailTo, waitForMail } from "./support/outbox";
import { callAction } from "./support/server-actions";

test.beforeEach(({ page }) => withoutAutofill(page));

/** Confirms the signed-in account's email with the code mailed at sign-up (no button to press first). */
async function confirmEmail(page: Page, email: string) {
  const box = page.getByTestId("verify-email");
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

test("an unknown email gets the same answer and no mail", async ({ page }) => {
  const unknown = uniqueEmail("nobody");
  await askForCode(page, unknown);
  // Mail goes after the response: give it the time it would take.
  await page.waitForTimeout(1_000);
  expect(mailTo(unknown)).toHaveLength(0);
});

test("a squatted email is claimed by its owner: the squatter's passkeys and sessions are gone", async ({ page, authenticator }) => {
  const email = uniqueEmail("squatted");
  // Someone signs up with an address that is not theirs, and never confirms it.
  await register(page, email, "Squatter");
  const squatter = await snapshotOf(email);
  expect(squatter.passkeys).toHaveLength(1);

  // The owner, on their own device, tries to sign up and is sent to prove the address.
  await authenticator.removeAll();
  await page.context().clearCookies();
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await expect(page.getByText("That email already has an account")).toBeVisible();
  await page.getByRole("link", { name: "Get it by email" }).click();
  await expect(page).toHaveURL("/recover");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  const { code } = codeIn(await waitForMail(email, "Your account recovery code"));
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  // Told what the claim removes before anything is removed.
  await expect(page.getByText("This email was never confirmed on its account")).toBeVisible();
  expect((await snapshotOf(email)).passkeys).toEqual(squatter.passkeys);

  const added = authenticator.waitForCredentialAdded();
  await page.getByRole("button", { name: "Create a new passkey" }).click();
  await added;
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("notice")).toContainText("The account is yours");

  const after = await snapshotOf(email);
  expect(after.user?.id).toBe(squatter.user?.id);
  expect(after.passkeys).toHaveLength(1);
  expect(after.passkeys[0]!.id).not.toBe(squatter.passkeys[0]!.id);
  expect(after.liveSessions).toHaveLength(1);
  expect(after.liveSessions).not.toContain(squatter.liveSessions[0]);
  // Confirmed now, and the activity list says what happened.
  await expect(page.getByTestId("verify-email")).toHaveCount(0);
  await expect(page.getByTestId("activity")).toContainText("Email claimed by its owner");
});

test("a browser without WebAuthn signs in with an emailed code, and cannot pass step-up", async ({ page }) => {
  const email = uniqueEmail("no-webauthn");
  await register(page, email);
  await confirmEmail(page, email);
  const passkeySession = (await snapshotOf(email)).liveSessions;

  // Another browser, one with no WebAuthn at all.
  await page.context().clearCookies();
  await page.addInitScript(() => {
    delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  });
  await page.goto("/login");
  await expect(page.getByText("This browser can't use passkeys")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in code" }).click();
  await expect(page.getByText("Check your email")).toBeVisible();
  const { code } = codeIn(await waitForMail(email, "Your sign-in code"));
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/account");
  await expect(page.getByText("You signed in with an emailed code")).toBeVisible();
  await expect(page.getByTestId("session").filter({ hasText: "This device" })).toContainText("Emailed code");

  // Step-up: the page asks for a passkey, which this browser cannot give; nothing changes.
  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog.getByText("This browser can't use passkeys")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Confirm with passkey" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // And straight to the server: the session is never recent enough.
  const direct = await callAction(page.request, "signOutOtherSessions", []);
  expect(direct).toMatchObject({ ok: false, error: { tag: "@error/ReauthenticationRequired" } });
  const live = (await snapshotOf(email)).liveSessions;
  expect(live).toEqual(expect.arrayContaining(passkeySession));
  expect(live).toHaveLength(2);
});

test("the development outbox page does not exist unless the outbox is on", async ({ page }) => {
  // The e2e server runs with MAIL_OUTBOX=1, so it lists mail; production without it answers 404
  // (lib/mail outboxEnabled, tested in test/unit/mail.test.ts).
  const response = await page.goto("/dev/outbox");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
});
