// The HTTP security headers on every page, and sign-out: what a browser is told, and that it holds.
import { expect, test } from "./fixtures";
import { E2E_ORIGIN, failSessionWrites } from "./support/database";
import { register, uniqueEmail, withoutAutofill } from "./support/flows";

test.beforeEach(({ page }) => withoutAutofill(page));

const PAGES = ["/", "/login", "/register", "/no-such-page", "/examples/next-auth"];

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | undefined): Map<string, string[]> {
  expect(header, "Content-Security-Policy header").toBeTruthy();
  return new Map(header!.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

test("every page has a nonce-based CSP without unsafe-inline, and the constant security headers", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of [...PAGES, "/account"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = directives(headers["content-security-policy"]);
    const scripts = csp.get("script-src")!;
    expect(scripts, path).not.toContain("'unsafe-inline'");
    expect(scripts, path).not.toContain("'unsafe-eval'");
    const nonce = scripts.find((value) => value.startsWith("'nonce-"));
    expect(nonce, path).toBeTruthy();
    nonces.add(nonce!);
    expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
    expect(csp.get("base-uri"), path).toEqual(["'none'"]);
    expect(csp.get("form-action"), path).toEqual(["'self'"]);
    expect(csp.get("object-src"), path).toEqual(["'none'"]);
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"], path).toContain("publickey-credentials-get=(self)");
    expect(headers["permissions-policy"], path).toContain("publickey-credentials-create=(self)");
    // http://localhost: no HSTS (it would pin a developer's machine); https origins get it (unit-tested).
    expect(headers["strict-transport-security"], path).toBeUndefined();
  }
  expect(nonces.size, "a fresh nonce per response").toBe(PAGES.length + 1);
});

test("the page's scripts carry this response's nonce, and nothing is blocked while signing up and in", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/login");
  const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"]!)![1];
  const scripts = await page.locator("script").evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  for (const scriptNonce of scripts) expect(scriptNonce).toBe(nonce);

  await register(page, uniqueEmail());
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL("/account");
  expect(violations).toEqual([]);
});

test("injected markup cannot run script: an inline event handler is refused", async ({ page }) => {
  await page.goto("/login");
  const outcome = await page.evaluate(
    () =>
      new Promise<{ errorFired: boolean; handlerRan: boolean }>((resolve) => {
        // What an HTML-injection bug would add to the page.
        document.body.insertAdjacentHTML("beforeend", '<img id="probe" src="/does-not-exist.png" onerror="window.__injected = true">');
        const probe = document.getElementById("probe")!;
        // Listeners run in order: the inline handler (if allowed) has run before this one.
        probe.addEventListener("error", () =>
          setTimeout(() => resolve({ errorFired: true, handlerRan: (window as unknown as { __injected?: boolean }).__injected === true })),
        );
      }),
  );
  expect(outcome).toEqual({ errorFired: true, handlerRan: false });
});

test("authenticated pages are never cached", async ({ page }) => {
  await register(page, uniqueEmail());
  const response = await page.goto("/account");
  expect(response!.headers()["cache-control"]).toContain("no-store");
});

test("sign-out clears the cookie and the site's data, and the old cookie is dead", async ({ page, context }) => {
  await register(page, uniqueEmail());
  const [cookie] = (await context.cookies()).filter((c) => c.name === "session");
  const signOut = page.waitForResponse((response) => response.url().endsWith("/sign-out"));
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  const response = await signOut;
  const headers = await response.allHeaders(); // headers() leaves out cookie headers
  expect(response.status()).toBe(303);
  expect(headers["clear-site-data"]).toBe('"cookies", "storage"');
  expect(headers["set-cookie"]).toMatch(/^session=;.*Expires=Thu, 01 Jan 1970/i);
  await expect(page).toHaveURL("/login");
  await expect(page.getByTestId("notice")).toHaveText("You're signed out.");
  expect((await context.cookies()).filter((c) => c.name === "session")).toHaveLength(0);
  await context.addCookies([cookie!]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});

test("a cross-site sign-out changes nothing", async ({ page, context }) => {
  await register(page, uniqueEmail());
  const crossSite: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }];
  for (const headers of crossSite) {
    const response = await context.request.post("/sign-out", { headers, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers()["location"]).toBe(`${E2E_ORIGIN}/`);
    expect(response.headers()["clear-site-data"]).toBeUndefined();
  }
  await page.goto("/account");
  await expect(page).toHaveURL("/account");
});

test("sign-out still signs the browser out when the database cannot revoke the session", async ({ page, context }) => {
  await register(page, uniqueEmail());
  const restore = await failSessionWrites();
  try {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL("/login");
    expect((await context.cookies()).filter((c) => c.name === "session")).toHaveLength(0);
  } finally {
    await restore();
  }
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});

test("the app opened at 127.0.0.1 sends the browser to the configured localhost origin", async ({ page }) => {
  const port = new URL(E2E_ORIGIN).port;
  await page.goto(`http://127.0.0.1:${port}/login?next=%2Faccount`);
  await expect(page).toHaveURL(`${E2E_ORIGIN}/login?next=%2Faccount`);
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
});

test("a program's GET at 127.0.0.1 gets its route's answer, not the browser's refresh page", async ({ request }) => {
  const port = new URL(E2E_ORIGIN).port;
  const jwks = await request.get(`http://127.0.0.1:${port}/.well-known/jwks.json`, { maxRedirects: 0 });
  expect(jwks.status()).toBe(200);
  expect((await jwks.json()).keys.length).toBeGreaterThan(0);
  // The scheduler's call reaches its guard (here: no CRON_SECRET on this server, so refused).
  const cron = await request.get(`http://127.0.0.1:${port}/api/cron/cleanup`, { maxRedirects: 0 });
  expect(cron.headers()["content-type"]).toContain("application/json");
  // A JSON route answers for itself even to a browser: only pages move (a ceremony needs the
  // configured origin; reading the keys does not).
  const browser = await request.get(`http://127.0.0.1:${port}/.well-known/jwks.json`, { headers: { Accept: "text/html" }, maxRedirects: 0 });
  expect((await browser.json()).keys.length).toBeGreaterThan(0);
  // A page opened by a browser there is still sent to the configured origin.
  const page = await request.get(`http://127.0.0.1:${port}/login`, { headers: { Accept: "text/html" }, maxRedirects: 0 });
  expect(await page.text()).toContain('http-equiv="refresh"');
});

test("the JSON routes, which the proxy skips, have a policy that lets nothing load or run", async ({ request }) => {
  for (const path of ["/.well-known/jwks.json", "/api/cron/cleanup"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const csp = directives(response.headers()["content-security-policy"]);
    expect(csp.get("default-src"), path).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
  }
  const authorize = await request.post("/api/passkey/authentication/authorize", { data: {} });
  expect(authorize.ok()).toBe(true);
  expect(directives(authorize.headers()["content-security-policy"]).get("default-src")).toEqual(["'none'"]);
});

test("signed out, the account page's React payload (a client-side navigation, which the proxy skips) holds no account and sends to login", async ({ request }) => {
  // What the router fetches on a client-side navigation: the page checks the session itself.
  const response = await request.get("/account?_rsc=", { headers: { RSC: "1" }, maxRedirects: 0 });
  const body = await response.text();
  expect(body).not.toContain("Your passkeys, where you");
  expect(body).toContain("NEXT_REDIRECT;replace;/login?next=%2Faccount;307");
});

test("a session that ends while the page is open: the next client-side navigation to the account goes to login", async ({ page, context }) => {
  await register(page, uniqueEmail());
  await page.goto("/");
  await context.clearCookies({ name: "session" });
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await expect(page).toHaveURL("/login?next=%2Faccount");
});

test("no other Host is sent anywhere by that rule", async ({ request }) => {
  const other = await request.get("/login", { headers: { Host: "evil.example", Accept: "text/html" }, maxRedirects: 0 });
  expect(other.status()).toBe(200);
  expect(await other.text()).not.toContain('http-equiv="refresh"');
});

test("on Vercel, the deployment's own URL sends the browser to the configured origin", async ({ request }) => {
  const deploymentUrl = process.env.VERCEL_URL;
  test.skip(!deploymentUrl, "only where the server runs with Vercel's variables (npm run test:vercel)");
  const page = await request.get("/login?next=%2Faccount", { headers: { Host: deploymentUrl!, Accept: "text/html" }, maxRedirects: 0 });
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain(`<meta http-equiv="refresh" content="0;url=${E2E_ORIGIN}/login?next=%2Faccount">`);
  // A route handler is not a page load: it answers for itself (here, the same-site rule).
  const api = await request.post("/api/passkey/authentication/authorize", { headers: { Host: deploymentUrl! }, data: {} });
  expect(await api.text()).not.toContain('http-equiv="refresh"');
});
