// The interface: accessibility (axe, WCAG 2.2 AA) in light and dark, keyboard-only journeys with
// a visible focus ring at each step, no sideways scrolling on phones, and the sign-in progress
// states (spinner, Cancel, the slow-prompt hint), notices and field errors.
import { expect, test } from "./fixtures";
import { expectFocusVisible, expectNoAxeViolations, expectNoHorizontalOverflow, focused } from "./support/a11y";
import { UNKNOWN_EMAIL, register, uniqueEmail, withoutAutofill } from "./support/flows";

let counter = 0;
/** 60 characters and no natural break: the header, menu and alerts must wrap or truncate it. */
const longEmail = () => `${"a".repeat(60 - `.${Date.now()}${++counter}@example.com`.length)}.${Date.now()}${counter}@example.com`;

const SIGNED_OUT_PAGES = ["/", "/login", "/login?next=%2Faccount", "/register", "/no-such-page"];

test.beforeEach(({ page }) => withoutAutofill(page));

for (const colorScheme of ["light", "dark"] as const) {
  test(`signed-out pages have no axe violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    for (const path of SIGNED_OUT_PAGES) {
      await page.goto(path);
      await expect(page.locator("h1")).toBeVisible();
      await expectNoAxeViolations(page);
    }
  });

  test(`signed in: home, header menu and login have no axe violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await register(page, uniqueEmail());
    await page.goto("/");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Ada Lovelace" }).click();
    await expect(page.getByRole("link", { name: "Account", exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto("/login");
    await expect(page.getByText("You're already signed in")).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test(`error states have no axe violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    // An email with no passkey here.
    await page.goto("/login");
    await page.getByLabel("Or enter your email").fill(UNKNOWN_EMAIL);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByTestId("error")).toContainText("No passkey was used");
    await expectNoAxeViolations(page);
    // Inline field errors.
    await page.goto("/register");
    await page.getByRole("button", { name: "Create account with a passkey" }).click();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
  });
}

test("a browser without WebAuthn: an alert on register, the emailed-code form on login, no axe violations", async ({ page }) => {
  await page.addInitScript(() => {
    // @ts-expect-error: simulating a browser that predates WebAuthn
    delete window.PublicKeyCredential;
  });
  await page.goto("/register");
  await expect(page.getByTestId("error")).toHaveAttribute("data-error-tag", "@error/PasskeyUnsupported");
  await expect(page.getByTestId("error")).toHaveAttribute("role", "alert");
  await expectNoAxeViolations(page);
  for (const path of ["/login", "/recover", "/login/email"]) {
    await page.goto(path);
    await expect(page.getByRole("button", { name: "Email me a sign-in code" })).toBeVisible();
    await expectNoAxeViolations(page);
  }
});

test("pages have their own titles", async ({ page }) => {
  for (const [path, title] of [
    ["/", "Next.js Passkeys"],
    ["/login", "Sign in · Next.js Passkeys"],
    ["/register", "Create an account · Next.js Passkeys"],
    ["/no-such-page", "Page not found · Next.js Passkeys"],
  ]) {
    await page.goto(path!);
    await expect(page).toHaveTitle(title!);
  }
});

for (const width of [320, 390]) {
  test(`no horizontal overflow at ${width} px, signed out and signed in with a long email`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    for (const path of SIGNED_OUT_PAGES) {
      await page.goto(path);
      await expectNoHorizontalOverflow(page);
    }
    await register(page, longEmail(), "Maria Anna Sophia Magdalena Walburga Theresia von Habsburg-Lothringen");
    for (const path of ["/", "/login", "/register", "/no-such-page"]) {
      await page.goto(path);
      await expectNoHorizontalOverflow(page);
    }
    await page.getByRole("button", { name: /Maria/ }).click();
    await expectNoHorizontalOverflow(page);
  });
}

test("keyboard only: skip link, register, the header menu, sign out and sign in", async ({ page }) => {
  const email = uniqueEmail();
  await page.goto("/register");

  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press("Tab");
  await expect(focused(page)).toHaveText("Skip to main content");
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // Into the form: Email, Name, the button. An empty submit puts focus on the field to fix.
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Create account with a passkey" })).toBeFocused();
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Email")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter your email address.");

  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expectFocusVisible(page.getByLabel("Name (optional)"));
  await page.keyboard.type("Ada Lovelace");
  await page.keyboard.press("Enter"); // implicit submission
  await expect(page).toHaveURL("/account");
  await expect(page.getByTestId("notice")).toContainText("Account created");

  // The header menu: open, walk, close with Escape (focus returns), open again and sign out.
  await page.goto("/");
  const menuButton = page.getByRole("button", { name: "Ada Lovelace" });
  await menuButton.focus();
  await page.keyboard.press("Enter");
  await expect(menuButton).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Account", exact: true })).toBeFocused();
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Escape");
  await expect(menuButton).toBeFocused();
  await expect(menuButton).toHaveAttribute("aria-expanded", "false");
  await expectFocusVisible(menuButton);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeFocused();
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/login");
  await expect(page.getByTestId("notice")).toHaveText("You're signed out.");

  // Sign in with the keyboard, from a fresh load: skip link, then the passkey button is the first control.
  await page.goto("/login");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeFocused();
  await expectFocusVisible(focused(page));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/account");
});

test("the focus ring shows on the dark primary button in both themes", async ({ page }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in with a passkey" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await expectFocusVisible(page.getByRole("button", { name: "Sign in with a passkey" }));
  }
});

test("while the passkey prompt is open: spinner, a hint after 10 s, and Cancel is silent", async ({ page, authenticator }) => {
  const email = uniqueEmail();
  await register(page, email);
  await page.context().clearCookies();
  await authenticator.setPresence(false); // the prompt waits, as for a person who has not touched anything yet
  await page.clock.install();
  await page.goto("/login");

  const button = page.getByRole("button", { name: "Waiting for your passkey…" });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(button).toHaveAttribute("aria-busy", "true");
  await expect(button).toBeDisabled(); // aria-disabled: it keeps focus
  await expect(page.getByText("Don't see a prompt?")).toBeHidden();
  await page.clock.fastForward(10_500);
  await expect(page.getByText("Don't see a prompt?")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeFocused();
  await expect(page.getByTestId("error")).toHaveCount(0);

  // Email-first: cancelling is silence too, not "no passkey for that email".
  await page.getByLabel("Or enter your email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("button", { name: "Waiting for your passkey…" })).toHaveAttribute("aria-busy", "true");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Continue" })).toBeEnabled();
  await expect(page.getByTestId("error")).toHaveCount(0);
  await expect(page).toHaveURL("/login");

  // And it still works afterwards.
  await authenticator.setPresence(true);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL("/account");
});

test("login: next= arrivals are told why, and a signed-in person can continue or sign out", async ({ page }) => {
  await page.goto("/login?next=%2Faccount");
  await expect(page.getByRole("status").filter({ hasText: "Sign in to continue" })).toBeVisible();

  const email = uniqueEmail();
  await register(page, email);
  await page.goto("/login?next=%2Faccount%3Ftab%3Dpasskeys");
  await expect(page.getByRole("main").getByText(email)).toBeVisible();
  await page.getByRole("link", { name: "Continue", exact: true }).click();
  await expect(page).toHaveURL("/account?tab=passkeys");
  await page.goto("/login");
  await page.getByRole("main").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/login");
  await expect(page.getByTestId("notice")).toHaveText("You're signed out.");
  await expect(page.getByRole("link", { name: "Create account" })).toBeVisible();
});

test("register: our own field messages, and a taken email points to getting it back by email", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter an email address, like name@example.com.");
  // Our message, not the browser's bubble: the form opts out of native validation.
  await expect(page.locator("form[novalidate]")).toHaveCount(1);

  const email = uniqueEmail();
  await register(page, email);
  await page.context().clearCookies();
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create account with a passkey" }).click();
  const alert = page.getByTestId("error");
  await expect(alert).toHaveAttribute("data-error-tag", "@error/DuplicateAccount");
  await expect(alert).toContainText("That email already has an account");
  await expect(alert).toContainText("Sign in with its passkey instead");
  await alert.getByRole("link", { name: "Get it by email" }).click();
  await expect(page).toHaveURL("/recover");
});

test.describe("components on the design-system page", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`no axe violations, with and without a dialog open (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.goto("/design-system");
      await expectNoAxeViolations(page);
      await page.getByRole("button", { name: "Delete account" }).click();
      await expect(page.getByRole("dialog", { name: "Delete your account?" })).toBeVisible();
      await expectNoAxeViolations(page);
    });
  }

  test("no horizontal overflow at 320 px", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto("/design-system");
    await expectNoHorizontalOverflow(page);
  });

  test("a dialog takes focus, is named by its title, closes on Escape and gives focus back", async ({ page }) => {
    await page.goto("/design-system");
    const opener = page.getByRole("button", { name: "Remove passkey" });
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Remove this passkey?" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription("You won't be able to sign in with it any more.");
    // A destructive confirmation starts on the safe choice.
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await expectFocusVisible(focused(page));
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();

    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Remove passkey" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("notice")).toHaveText("Passkey removed.");
    await expect(opener).toBeFocused();
  });

  test("type-to-confirm works only with the exact phrase", async ({ page }) => {
    await page.goto("/design-system");
    await page.getByRole("button", { name: "Delete account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    const phrase = dialog.getByLabel("Type DELETE to confirm");
    await expect(phrase).toBeFocused();
    await phrase.fill("delete");
    await dialog.getByRole("button", { name: "Delete account" }).click();
    await expect(phrase).toHaveAttribute("aria-invalid", "true");
    await expect(phrase).toHaveAccessibleDescription("Type DELETE exactly to confirm.");
    await expect(dialog).toBeVisible();
    await phrase.fill("DELETE");
    await phrase.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("notice")).toHaveText("Account deleted.");
  });

  test("times: relative in the person's time zone after mount, with no hydration mismatch", async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: "Pacific/Auckland", locale: "en-NZ" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto("/design-system");
    const times = page.getByTestId("times").locator("time");
    await expect(times.nth(0)).toHaveText("2 days ago");
    await expect(times.nth(1)).toHaveText("5 minutes ago");
    await expect(times.nth(0)).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
    // The tooltip is the full local date (a weekday name: dateStyle "full").
    await expect(times.nth(0)).toHaveAttribute("title", /day, /);
    expect(errors.filter((e) => /hydrat/i.test(e))).toEqual([]);
    await context.close();
  });

  test("button loading state: spinner, aria-busy, still focusable", async ({ page }) => {
    await page.goto("/design-system");
    const busy = page.getByRole("button", { name: "Saving…" });
    await expect(busy).toHaveAttribute("aria-busy", "true");
    await expect(busy).toBeDisabled();
    await busy.focus();
    await expect(busy).toBeFocused();
  });
});

test("login: an email that is not one gets our message and focus, and no request", async ({ page }) => {
  await page.goto("/login");
  const email = page.getByLabel("Or enter your email");
  await email.fill("ada");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter an email address, like name@example.com.");
  await expect(page.getByTestId("error")).toHaveCount(0);
});
