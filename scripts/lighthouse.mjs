#!/usr/bin/env node
// `npm run lighthouse`: Lighthouse's accessibility and best-practices audits on every page of the
// production build (`npx next build` first), served on a fresh throwaway database (port E2E_PORT,
// 3100 by default). The account page is audited signed in: an account is created with a virtual
// passkey and its session cookie is sent with Lighthouse's extraHeaders. Prints a table and fails
// unless every score is 100, listing the audits that lost points.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM_FLAGS, createAccount, launchBrowser, pageWithPasskeys, startApp } from "./throwaway-app.mjs";
import { findChromium } from "./ensure-browser.mjs";

const CATEGORIES = ["accessibility", "best-practices"];
const PAGES = [
  { name: "Home", path: "/" },
  { name: "Sign in", path: "/login" },
  { name: "Create account", path: "/register" },
  { name: "Account (signed in)", path: "/account", signedIn: true },
  { name: "Recover", path: "/recover" },
  { name: "Sign in by email", path: "/login/email" },
  { name: "next-auth example", path: "/examples/next-auth" },
  // A 404 is what this page must answer: audit it anyway (Lighthouse stops at an error status by
  // default). Chrome logs every 404 response to the console, the page's own document included,
  // which errors-in-console counts: that one message is expected here, and only here. Any other
  // console error on this page still fails, and every asset it loads is audited on the pages above.
  { name: "Not found", path: "/no-such-page", ignoreStatusCode: true, expectedConsoleErrors: ["the server responded with a status of 404"] },
];

const app = await startApp("lighthouse");
let chrome;
const rows = [];
const lost = [];
try {
  const cookie = await sessionCookie(app.origin);
  for (const { name, path, signedIn = false, ignoreStatusCode = false, expectedConsoleErrors = [] } of PAGES) {
    // A fresh browser (and profile) per page: cookies a page sets (the login page's ceremony
    // cookie) would otherwise be sent instead of the extra Cookie header of a later signed-in page.
    await chrome?.kill();
    chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH || findChromium(),
      chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS],
    });
    const { lhr } = await lighthouse(`${app.origin}${path}`, {
      port: chrome.port,
      onlyCategories: CATEGORIES,
      logLevel: "error",
      extraHeaders: signedIn ? { Cookie: cookie } : undefined,
      ignoreStatusCode,
    }, {
      extends: "lighthouse:default",
      // Lighthouse's own default pattern, plus the page's expected messages.
      audits: [{ path: "errors-in-console", options: { ignoredPatterns: ["ERR_BLOCKED_BY_CLIENT.Inspector", ...expectedConsoleErrors] } }],
    });
    if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.message}`);
    if (signedIn && !lhr.finalDisplayedUrl.endsWith(path)) throw new Error(`${path}: not signed in (landed on ${lhr.finalDisplayedUrl})`);
    const scores = CATEGORIES.map((id) => Math.round((lhr.categories[id].score ?? 0) * 100));
    rows.push([name, path, ...scores]);
    for (const id of CATEGORIES) {
      for (const { id: audit, weight } of lhr.categories[id].auditRefs) {
        const result = lhr.audits[audit];
        if (weight > 0 && result.score !== null && result.score < 1) {
          const items = (result.details?.items ?? []).map((item) => `\n    ${item.description ?? item.node?.snippet ?? ""} ${item.sourceLocation?.url ?? item.url ?? ""}`);
          lost.push(`${path} ${id}: ${audit} — ${result.title}${items.join("")}`);
        }
      }
    }
  }
} finally {
  await chrome?.kill();
  await app.stop();
}

const header = ["page", "path", ...CATEGORIES];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)));
const line = (row) => `| ${row.map((cell, i) => String(cell).padEnd(widths[i])).join(" | ")} |`;
console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n"));
if (lost.length) {
  console.error(`\nBelow 100:\n${lost.join("\n")}`);
  process.exit(1);
}

/** Creates an account in a browser with a virtual passkey; answers its session cookie as a Cookie header. */
async function sessionCookie(origin) {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ baseURL: origin });
    const { page } = await pageWithPasskeys(context);
    await createAccount(page, "lighthouse@example.com", "Ada Lovelace");
    // `session` on http://localhost, `__Host-session` on https.
    const session = (await context.cookies()).find((c) => c.name.endsWith("session"));
    if (!session) throw new Error("no session cookie after creating the account");
    return `${session.name}=${session.value}`;
  } finally {
    await browser.close();
  }
}
