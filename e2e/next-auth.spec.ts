// next-auth with passkeys (lib/integrations/next-auth.ts, /examples/next-auth) in a real Chromium
// with a virtual authenticator: a passkey created at /register signs in through next-auth's
// Credentials provider "passkey", next-auth's session is shown, the app's own pages and routes do
// not accept it, and next-auth's sign-out ends it.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectNoAxeViolations } from "./support/a11y";
import { E2E_ORIGIN } from "./support/database";
import { register, uniqueEmail, withoutAutofill } from "./support/flows";

/** An account with a passkey on this page's authenticator, and no app session (signed out again). */
async function passkeyWithoutAppSession(page: Page): Promise<string> {
  const email = uniqueEmail("next-auth");
  await register(page, email);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL("/login");
  return email;
}

const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name);

/** Console messages about the Content-Security-Policy: none may appear. */
function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test.beforeEach(({ page }) => withoutAutofill(page));

test("signs in to next-auth with a passkey, shows next-auth's session, and signs out of it", async ({ page, authenticator, context }) => {
  const email = await passkeyWithoutAppSession(page);
  const csp = collectCspViolations(page);

  await page.goto("/examples/next-auth");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with next-auth" })).toBeVisible();
  const asserted = authenticator.waitForCredentialAsserted();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await asserted;

  await expect(page.getByRole("heading", { level: 1, name: "Signed in with next-auth" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("next-auth-email")).toHaveText(email);
  await expect(page.getByTestId("next-auth-session")).toContainText("Verified you");
  // next-auth's JWT session cookie, HttpOnly (not Secure: http://localhost), and no app session cookie.
  expect(await cookie(context, "next-auth.session-token")).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
  expect(await cookie(context, "session")).toBeUndefined();

  // Still there after a full reload: getServerSession reads it on the server.
  await page.reload();
  await expect(page.getByTestId("next-auth-email")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out of next-auth" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with next-auth" })).toBeVisible();
  expect(await cookie(context, "next-auth.session-token")).toBeUndefined();
  expect(csp).toEqual([]);
});

test("a next-auth session grants nothing in the app: /account redirects to login, its routes answer 401", async ({ page, context }) => {
  await passkeyWithoutAppSession(page);
  await page.goto("/examples/next-auth");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByTestId("next-auth-email")).toBeVisible({ timeout: 15_000 });
  expect(await cookie(context, "next-auth.session-token")).toBeDefined();

  await page.goto("/account");
  await expect(page).toHaveURL("/login?next=%2Faccount");
  // The data layer too, not just proxy.ts: adding a passkey needs the app's own session.
  const addPasskey = await page.request.post("/api/passkey/registration/authorize", {
    headers: { "Content-Type": "application/json", Origin: E2E_ORIGIN },
    data: "{}",
  });
  expect(addPasskey.status()).toBe(401);
  expect((await addPasskey.json()).error.tag).toBe("@error/Unauthenticated");
});

test("the sign-in shows in the account's activity as next-auth's", async ({ page }) => {
  await passkeyWithoutAppSession(page);
  await page.goto("/examples/next-auth");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByTestId("next-auth-email")).toBeVisible({ timeout: 15_000 });

  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL("/account", { timeout: 15_000 });
  await expect(page.getByTestId("activity-event").filter({ hasText: "Signed in to next-auth" })).toHaveCount(1);
});

test("next-auth's own pages are this page: its sign-in and error routes land here", async ({ page }) => {
  await page.goto("/api/auth/signin");
  await expect(page).toHaveURL(/^[^?]*\/examples\/next-auth\?/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with next-auth" })).toBeVisible();

  await page.goto("/api/auth/error?error=CredentialsSignin");
  await expect(page).toHaveURL(/\/examples\/next-auth\?.*\berror=CredentialsSignin\b/);
  await expect(page.getByTestId("next-auth-error")).toContainText("next-auth couldn't sign you in");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the example page has no axe violations, signed out and signed in (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await passkeyWithoutAppSession(page);
    await page.goto("/examples/next-auth");
    await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.getByTestId("next-auth-email")).toBeVisible({ timeout: 15_000 });
    await expectNoAxeViolations(page);
  });
}
