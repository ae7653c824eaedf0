// The account page in a real Chromium with a CDP virtual authenticator: step-up before sensitive
// changes, passkey management with the Signal API, sessions, and deleting the account.
import type { Page } from "@playwright/test";
import { expect, test, type Authenticator } from "./fixtures";
import { ageSessionsOf } from "./support/database";
import { addPasskeyElsewhere, register, uniqueEmail, withoutAutofill } from "./support/flows";

test.beforeEach(({ page }) => withoutAutofill(page));

const passkeyItems = (page: Page) => page.getByTestId("passkeys").getByTestId("passkey");

/** Opens the delete confirmation for the passkey at `index` and confirms it. */
async function deletePasskeyAt(page: Page, index: number) {
  await passkeyItems(page).nth(index).getByRole("button", { name: /^Delete/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete passkey" }).click();
}

const stepUpDialog = (page: Page) => page.getByRole("dialog", { name: "Confirm it's you" });

test("adds a passkey from the account page", async ({ page, authenticator }) => {
  await register(page, uniqueEmail());
  // A new device: this authenticator no longer holds the first passkey (excludeCredentials would refuse it).
  await authenticator.removeAll();
  const added = authenticator.waitForCredentialAdded();
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await added;
  await expect(passkeyItems(page)).toHaveCount(2);
  await expect(page.getByTestId("notice")).toContainText("Passkey added");
});

test("deletes a passkey at once right after sign-in, and the device forgets it (signalAllAcceptedCredentials)", async ({ page, authenticator }) => {
  await register(page, uniqueEmail());
  await addPasskeyElsewhere(page);
  expect(await authenticator.credentials()).toHaveLength(1);
  await deletePasskeyAt(page, 0); // the one in this browser's authenticator
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(passkeyItems(page)).toHaveCount(1);
  await expect(page.getByTestId("notice")).toContainText("was deleted");
  await expect.poll(() => authenticator.credentials()).toHaveLength(0);
});

test("delete without a recent step-up runs the ceremony first, then deletes", async ({ page, authenticator }) => {
  const email = uniqueEmail();
  await register(page, email);
  await addPasskeyElsewhere(page);
  await ageSessionsOf(email);

  await deletePasskeyAt(page, 1); // the other device's passkey
  await expect(stepUpDialog(page)).toBeVisible();
  await expect(passkeyItems(page)).toHaveCount(2);
  const asserted = authenticator.waitForCredentialAsserted();
  await stepUpDialog(page).getByRole("button", { name: "Confirm with passkey" }).click();
  await asserted;
  await expect(passkeyItems(page)).toHaveCount(1);
  await expect(stepUpDialog(page)).toHaveCount(0);
  // This browser's passkey is the one left, and it now marks this session's step-up.
  await expect(passkeyItems(page).first()).toContainText("Used for this session");
  expect(await authenticator.credentials()).toHaveLength(1);
});

test("an authenticator that cannot verify the person cannot complete step-up, and the page says why", async ({ page, authenticator }) => {
  const email = uniqueEmail();
  await register(page, email);
  await addPasskeyElsewhere(page);
  await ageSessionsOf(email);
  await authenticator.setUserVerified(false);

  await deletePasskeyAt(page, 1);
  await stepUpDialog(page).getByRole("button", { name: "Confirm with passkey" }).click();
  await expect(stepUpDialog(page).getByTestId("error")).toContainText("couldn't confirm it's you");
  await expect(stepUpDialog(page)).toContainText("fingerprint, face, screen lock or security key PIN");
  await stepUpDialog(page).getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(passkeyItems(page)).toHaveCount(2);
});

test("refuses to delete the last passkey, in plain words", async ({ page }) => {
  await register(page, uniqueEmail());
  await deletePasskeyAt(page, 0);
  await expect(page.getByRole("dialog").getByTestId("error")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.reload();
  await expect(passkeyItems(page)).toHaveCount(1);
});

test("renames a passkey", async ({ page }) => {
  await register(page, uniqueEmail());
  await passkeyItems(page).first().getByRole("button", { name: /^Rename/ }).click();
  const dialog = page.getByRole("dialog", { name: "Rename passkey" });
  await dialog.getByLabel("Passkey name").fill("  Work laptop ");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("passkey-name")).toHaveText("Work laptop");
  // A name that could pass for another is refused next to the field.
  await passkeyItems(page).first().getByRole("button", { name: /^Rename/ }).click();
  await dialog.getByLabel("Passkey name").fill("evil\u202Egnp.exe");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByLabel("Passkey name")).toHaveAttribute("aria-invalid", "true");
});

/** The virtual authenticator's record of the account's passkey: CDP reports userName/userDisplayName. */
async function storedUser(authenticator: Authenticator) {
  const [credential] = (await authenticator.credentials()) as Array<{ userName?: string; userDisplayName?: string }>;
  return { userName: credential?.userName, userDisplayName: credential?.userDisplayName };
}

test("name and email changes reach the passkey manager (signalCurrentUserDetails); email needs step-up", async ({ page, authenticator }) => {
  const email = uniqueEmail();
  await register(page, email);
  expect(await storedUser(authenticator)).toEqual({ userName: email, userDisplayName: "Ada Lovelace" });

  await page.getByRole("button", { name: "Edit name" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Ada King");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("display-name")).toHaveText("Ada King");
  await expect.poll(() => storedUser(authenticator)).toEqual({ userName: email, userDisplayName: "Ada King" });

  await ageSessionsOf(email);
  const newEmail = uniqueEmail("moved");
  await page.getByRole("button", { name: "Change email" }).click();
  await page.getByRole("dialog", { name: "Change your email" }).getByLabel("New email").fill(newEmail);
  await page.getByRole("dialog", { name: "Change your email" }).getByRole("button", { name: "Save" }).click();
  await stepUpDialog(page).getByRole("button", { name: "Confirm with passkey" }).click();
  await expect(page.getByTestId("email")).toHaveText(newEmail);
  await expect.poll(() => storedUser(authenticator)).toEqual({ userName: newEmail, userDisplayName: "Ada King" });
});

test("lists two browsers' sessions, and 'sign out all other sessions' ends the other one", async ({ page, authenticator, browser }) => {
  await register(page, uniqueEmail());
  // A second browser with the same passkey (as a synced passkey would be): copy it into its own authenticator.
  const [credential] = await authenticator.credentials();
  const other = await browser.newContext({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1" });
  const otherPage = await other.newPage();
  await withoutAutofill(otherPage);
  const cdp = await other.newCDPSession(otherPage);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: credential as never });
  await otherPage.goto("/login");
  await otherPage.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(otherPage).toHaveURL("/account");

  await page.reload();
  const sessions = page.getByTestId("sessions").getByTestId("session");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first()).toContainText("This device");
  await expect(sessions.nth(1)).toContainText("Safari on iPhone");

  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(sessions).toHaveCount(1);
  await otherPage.goto("/account");
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();
});

test("deleting the account ends on home, signed out, and the device holds no passkey for it", async ({ page, authenticator }) => {
  const email = uniqueEmail();
  await register(page, email);
  expect(await authenticator.credentials()).toHaveLength(1);
  await page.getByRole("button", { name: "Delete account…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await expect(dialog.getByText(`Type ${email} exactly to confirm.`)).toBeVisible();
  await dialog.getByLabel(`Type ${email} to confirm`).fill(email);
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("notice")).toHaveText("Your account was deleted.");
  // Straight home: never by way of the login page (the account page re-rendered without a session).
  expect(visited).not.toContain("/login");
  await expect.poll(() => authenticator.credentials()).toHaveLength(0);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});
