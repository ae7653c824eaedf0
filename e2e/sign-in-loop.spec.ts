// The foundation, end to end in a real Chromium: create an account with a passkey, land on the
// protected page, sign out, and sign back in with the same passkey.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { deletePasskeysOf } from "./support/database";
import { UNKNOWN_EMAIL, register, uniqueEmail, withoutAutofill } from "./support/flows";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL("/login");
}

test.describe("without autofill", () => {
  test.beforeEach(({ page }) => withoutAutofill(page));

  test("registering creates a passkey and lands on the account page", async ({ page, authenticator }) => {
    const email = uniqueEmail();
    const added = authenticator.waitForCredentialAdded();
    await register(page, email);
    const credential = await added;
    expect(credential.isResidentCredential).toBe(true);
    expect(credential.rpId).toBe("localhost");
    await expect(page.getByTestId("email")).toHaveText(email);
    await expect(page.getByTestId("display-name")).toHaveText("Ada Lovelace");
    await expect(page.getByTestId("passkeys").getByRole("listitem")).toHaveCount(1);
  });

  test("signed out, the account page redirects to login with next", async ({ page, authenticator }) => {
    await register(page, uniqueEmail());
    expect(await authenticator.credentials()).toHaveLength(1);
    await signOut(page);
    await page.goto("/account");
    await expect(page).toHaveURL("/login?next=%2Faccount");
  });

  test("signs back in with the passkey button", async ({ page, authenticator }) => {
    await register(page, uniqueEmail());
    await signOut(page);
    const asserted = authenticator.waitForCredentialAsserted();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await asserted;
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("passkeys").getByRole("listitem")).toHaveCount(1);
  });

  test("signs back in email-first", async ({ page }) => {
    const email = uniqueEmail();
    await register(page, email);
    await signOut(page);
    await page.getByLabel("Or enter your email").fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL("/account");
    await expect(page.getByTestId("email")).toHaveText(email);
  });

  test("next sends the person back where they were going", async ({ page }) => {
    await register(page, uniqueEmail());
    await signOut(page);
    await page.goto("/account?tab=passkeys");
    await expect(page).toHaveURL("/login?next=%2Faccount%3Ftab%3Dpasskeys");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page).toHaveURL("/account?tab=passkeys");
  });

  test("next refuses another origin, however it is spelled", async ({ page }) => {
    await register(page, uniqueEmail());
    // Each of these once reached, or could reach, another site after normalisation.
    for (const next of ["//evil.example", "/.//evil.example", "/%2e//evil.example", "/a/..//evil.example"]) {
      await signOut(page);
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect(page).toHaveURL("/");
      await expect(page.getByRole("link", { name: "Go to your account" })).toBeVisible();
      await page.goto("/account");
    }
  });

  test("a session cookie replayed after sign-out no longer opens the account page", async ({ page, context }) => {
    await register(page, uniqueEmail());
    const [cookie] = (await context.cookies()).filter((c) => c.name === "session");
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
    await signOut(page);
    await context.addCookies([cookie!]);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login/);
  });
});

test("autofill signs in when the person picks their passkey", async ({ page, context, authenticator }) => {
  // The virtual authenticator answers the conditional request at once, as if the person picked
  // the passkey from the email field's suggestions.
  await register(page, uniqueEmail());
  await context.clearCookies();
  const asserted = authenticator.waitForCredentialAsserted();
  await page.goto("/login?next=%2Faccount%3Fvia%3Dautofill");
  await asserted;
  await expect(page).toHaveURL("/account?via=autofill");
});


test.describe("when sign-in cannot work", () => {
  test.beforeEach(({ page }) => withoutAutofill(page));

  test("a browser without WebAuthn is told so on register, and offered an emailed code on login", async ({ page }) => {
    await page.addInitScript(() => {
      // @ts-expect-error: simulating a browser that predates WebAuthn
      delete window.PublicKeyCredential;
    });
    // Detected on arrival, before the person fills anything in; the buttons cannot start a ceremony.
    await page.goto("/register");
    await expect(page.getByTestId("error")).toHaveAttribute("data-error-tag", "@error/PasskeyUnsupported");
    await expect(page.getByRole("button", { name: "Create account with a passkey" })).toBeDisabled();
    await page.goto("/login");
    await expect(page.getByText("This browser can't use passkeys")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Email me a sign-in code" })).toBeEnabled();
  });

  test("an email with no passkey on this device gets a plain explanation, not silence", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Or enter your email").fill(UNKNOWN_EMAIL);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByTestId("error")).toContainText("No passkey was used");
    await expect(page).toHaveURL("/login");
  });

  test("a passkey deleted on the server is reported and removed from the device (Signal API)", async ({ page, authenticator }) => {
    const email = uniqueEmail();
    await register(page, email);
    await signOut(page);
    // Delete the passkey behind the app's back, as another session or an admin would.
    expect(await deletePasskeysOf(email)).toBe(1);
    expect(await authenticator.credentials()).toHaveLength(1);

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    const alert = page.getByTestId("error");
    await expect(alert).toHaveAttribute("data-error-tag", "@error/OrphanedPasskey");
    await expect(alert).toContainText("was deleted from this site");
    await expect.poll(() => authenticator.credentials()).toHaveLength(0);
  });
});

test("signing in again replaces the browser's session and revokes the one it replaces", async ({ page, context }) => {
  await withoutAutofill(page);
  await register(page, uniqueEmail());
  const [first] = (await context.cookies()).filter((c) => c.name === "session");
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL("/account");
  const [second] = (await context.cookies()).filter((c) => c.name === "session");
  expect(second!.value).not.toBe(first!.value);
  // The replaced session is over, even though its JWT has not expired.
  await context.addCookies([first!]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});
