// The account page's interface, as e2e/ui.spec.ts does for the signed-out pages: axe (WCAG 2.2 AA)
// in light and dark in every state the page can be in (dialogs, field errors, step-up, its
// failure), keyboard-only journeys with a visible focus ring at each step, and no sideways
// scrolling on phones with the longest email, passkey name and device label the page can show.
import { request, type Locator, type Page } from "@playwright/test";
import type { SoftAuthenticator } from "../test/support/soft-authenticator";
import { expect, test } from "./fixtures";
import { expectFocusVisible, expectNoAxeViolations, expectNoHorizontalOverflow } from "./support/a11y";
import { E2E_ORIGIN, ageSessionsOf } from "./support/database";
import { addPasskeyElsewhere, register, uniqueEmail, withoutAutofill } from "./support/flows";
import { callAction } from "./support/server-actions";

test.beforeEach(({ page }) => withoutAutofill(page));

/** 60 characters and no natural break. */
const longEmail = () => {
  const tail = `.${Date.now()}${Math.floor(Math.random() * 1000)}@example.com`;
  return `${"a".repeat(60 - tail.length)}${tail}`;
};
/** The longest name a passkey may have (64), with no space to wrap at. */
const LONG_PASSKEY_NAME = "WorkLaptop".repeat(7).slice(0, 64);
/** A real browser whose label is long: "NAVER Whale Browser on Chrome OS". */
const LONG_LABEL_USER_AGENT =
  "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Whale/3.24.223.21 Safari/537.36";

const passkeyItems = (page: Page) => page.getByTestId("passkeys").getByTestId("passkey");
const sessionItems = (page: Page) => page.getByTestId("sessions").getByTestId("session");
const stepUpDialog = (page: Page) => page.getByRole("dialog", { name: "Confirm it's you" });

/**
 * Signs in to the account from another device over HTTP, with the passkey `authenticator` holds,
 * so the sessions list has a second entry named after `userAgent`.
 */
async function signInElsewhere(authenticator: SoftAuthenticator, userAgent: string) {
  const api = await request.newContext({ baseURL: E2E_ORIGIN, userAgent });
  const headers = { "Content-Type": "application/json", Origin: E2E_ORIGIN };
  const start = await (await api.post("/api/passkey/authentication/authorize", { headers, data: "{}" })).json();
  const response = await authenticator.authenticate(start.options);
  const verify = await (await api.post("/api/passkey/authentication/verify", { headers, data: JSON.stringify({ token: start.token, response }) })).json();
  expect(await callAction(api, "signIn", [verify.code, "/account"], { page: "/login" })).toMatchObject({ ok: true });
  await api.dispose();
}

async function renameFirstPasskey(page: Page, name: string) {
  await passkeyItems(page).first().getByRole("button", { name: /^Rename/ }).click();
  const dialog = page.getByRole("dialog", { name: "Rename passkey" });
  await dialog.getByLabel("Passkey name").fill(name);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(passkeyItems(page).first().getByTestId("passkey-name")).toHaveText(name);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`no axe violations (${colorScheme})`, () => {
    test.beforeEach(({ page }) => page.emulateMedia({ colorScheme }));

    test("one passkey: the page, rename, delete and the only-passkey error, profile dialogs, delete account", async ({ page }) => {
      const email = uniqueEmail("a11y");
      await register(page, email);
      await expectNoAxeViolations(page);

      // Rename: the dialog, then a name the server refuses next to the field.
      await passkeyItems(page).first().getByRole("button", { name: /^Rename/ }).click();
      const rename = page.getByRole("dialog", { name: "Rename passkey" });
      await expect(rename.getByLabel("Passkey name")).toBeFocused();
      await expectNoAxeViolations(page);
      await rename.getByLabel("Passkey name").fill("evil\u202Egnp.exe");
      await rename.getByRole("button", { name: "Save" }).click();
      await expect(rename.getByLabel("Passkey name")).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
      await page.keyboard.press("Escape");
      await expect(rename).toBeHidden();

      // Delete the only passkey: the confirmation, then the server's refusal in it.
      await passkeyItems(page).first().getByRole("button", { name: /^Delete/ }).click();
      const confirm = page.getByRole("dialog", { name: /^Delete “/ });
      await expect(confirm).toBeVisible();
      await expectNoAxeViolations(page);
      await confirm.getByRole("button", { name: "Delete passkey" }).click();
      await expect(confirm.getByTestId("error")).toHaveAttribute("data-error-tag", "@error/Forbidden");
      await expectNoAxeViolations(page);
      await page.keyboard.press("Escape");
      await expect(confirm).toBeHidden();

      // Profile dialogs.
      await page.getByRole("button", { name: "Edit name" }).click();
      await expect(page.getByRole("dialog", { name: "Edit your name" })).toBeVisible();
      await expectNoAxeViolations(page);
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Change email" }).click();
      const changeEmail = page.getByRole("dialog", { name: "Change your email" });
      await expect(changeEmail).toBeVisible();
      await expectNoAxeViolations(page);
      await changeEmail.getByLabel("New email").fill("not-an-email");
      await changeEmail.getByRole("button", { name: "Save" }).click();
      await expect(changeEmail.getByLabel("New email")).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
      await page.keyboard.press("Escape");

      // Delete account: type-to-confirm refuses anything but the email.
      await page.getByRole("button", { name: "Delete account…" }).click();
      const deleteAccount = page.getByRole("dialog", { name: "Delete your account?" });
      await deleteAccount.getByRole("button", { name: "Delete account" }).click();
      await expect(deleteAccount.getByLabel(`Type ${email} to confirm`)).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
    });

    test("two passkeys, two sessions, the step-up dialog and its failure", async ({ page, authenticator }) => {
      const email = uniqueEmail("a11y");
      await register(page, email);
      const elsewhere = await addPasskeyElsewhere(page);
      await signInElsewhere(elsewhere, LONG_LABEL_USER_AGENT);
      await page.reload();
      await expect(sessionItems(page)).toHaveCount(2);
      await expectNoAxeViolations(page);

      await ageSessionsOf(email);
      await authenticator.setUserVerified(false);
      await passkeyItems(page).nth(1).getByRole("button", { name: /^Delete/ }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete passkey" }).click();
      await expect(stepUpDialog(page)).toBeVisible();
      await expectNoAxeViolations(page);
      await stepUpDialog(page).getByRole("button", { name: "Confirm with passkey" }).click();
      await expect(stepUpDialog(page).getByTestId("error")).toContainText("couldn't confirm it's you");
      await expectNoAxeViolations(page);
    });
  });
}

test.describe("keyboard only", () => {
  /** Presses Tab until `target` has focus (at most `limit` times), as a person walking the page would. */
  async function tabTo(page: Page, target: Locator, limit = 30) {
    for (let i = 0; i < limit && !(await target.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expectFocusVisible(target);
  }
  const deleteButton = (page: Page, index: number) => passkeyItems(page).nth(index).getByRole("button", { name: /^Delete/ });

  test("step-up: Delete, confirm, 'Confirm it's you' takes focus, Enter runs the passkey, focus lands on the list", async ({ page }) => {
    const email = uniqueEmail("keys");
    await register(page, email);
    await addPasskeyElsewhere(page);
    await ageSessionsOf(email);

    await tabTo(page, deleteButton(page, 1));
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: /^Delete “/ });
    // A destructive confirmation starts on the safe choice.
    await expectFocusVisible(confirm.getByRole("button", { name: "Cancel" }));
    await page.keyboard.press("Tab");
    await expectFocusVisible(confirm.getByRole("button", { name: "Delete passkey" }));
    await page.keyboard.press("Enter");

    await expectFocusVisible(stepUpDialog(page).getByRole("button", { name: "Confirm with passkey" }));
    await page.keyboard.press("Enter");
    await expect(stepUpDialog(page)).toHaveCount(0);
    await expect(passkeyItems(page)).toHaveCount(1);
    await expect(confirm).toBeHidden();
    // The button that opened it went with the passkey: focus goes to the list, not to the top of the page.
    await expectFocusVisible(page.getByTestId("passkeys"));
  });

  test("deleting a passkey right after sign-in (no step-up)", async ({ page }) => {
    await register(page, uniqueEmail("keys"));
    await addPasskeyElsewhere(page);

    await tabTo(page, deleteButton(page, 1));
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expectFocusVisible(page.getByRole("dialog").getByRole("button", { name: "Delete passkey" }));
    await page.keyboard.press("Enter");
    await expect(passkeyItems(page)).toHaveCount(1);
    await expect(page.getByTestId("notice")).toContainText("was deleted");
    await expectFocusVisible(page.getByTestId("passkeys"));

    // Cancel returns focus to the button that opened the dialog.
    await tabTo(page, deleteButton(page, 0));
    await page.keyboard.press("Enter");
    await expectFocusVisible(page.getByRole("dialog").getByRole("button", { name: "Cancel" }));
    await page.keyboard.press("Enter");
    await expectFocusVisible(deleteButton(page, 0));
  });
});

for (const width of [320, 390]) {
  test(`no horizontal overflow at ${width} px: long email, passkey name and device, every dialog`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const email = longEmail();
    await register(page, email, "Maria Anna Sophia Magdalena Walburga Theresia von Habsburg-Lothringen");
    await renameFirstPasskey(page, LONG_PASSKEY_NAME);
    const elsewhere = await addPasskeyElsewhere(page);
    await signInElsewhere(elsewhere, LONG_LABEL_USER_AGENT);
    await page.reload();
    await expect(sessionItems(page).nth(1)).toContainText("NAVER Whale Browser on Chrome OS");
    await expectNoHorizontalOverflow(page);

    // Each dialog, with the long values in it.
    const dialogs: Array<[string, string]> = [
      [`Rename ${LONG_PASSKEY_NAME}`, "Rename passkey"],
      [`Delete ${LONG_PASSKEY_NAME}`, `Delete “${LONG_PASSKEY_NAME}”?`],
      ["Change email", "Change your email"],
      ["Delete account…", "Delete your account?"],
    ];
    for (const [opener, title] of dialogs) {
      await page.getByRole("button", { name: opener, exact: true }).click();
      const dialog = page.getByRole("dialog", { name: title, exact: true });
      await expect(dialog).toBeVisible();
      await expectNoHorizontalOverflow(page);
      if (title === "Delete your account?") {
        await dialog.getByRole("button", { name: "Delete account" }).click();
        await expect(dialog.getByText(`Type ${email} exactly to confirm.`)).toBeVisible();
        await expectNoHorizontalOverflow(page);
      }
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
    }

    // The step-up dialog.
    await ageSessionsOf(email);
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await expect(stepUpDialog(page)).toBeVisible();
    await expectNoHorizontalOverflow(page);
  });
}
