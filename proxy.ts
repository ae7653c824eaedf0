import { NextResponse, type NextRequest } from "next/server";
import { onOrigin } from "@/lib/http/on-origin";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "@/lib/http/security-headers";
import { sessionCookie } from "@/lib/session/cookie";
import { loginPath } from "@/lib/session/next-path";
import { getVault } from "@/lib/vault/instance";

/** Pages that need a session. The check here is only the fast path; see below. */
const PROTECTED = /^\/account(\/|$)/;

/**
 * Runs before every page load (`config` below says which requests those are):
 *
 * 1. The optimistic session check: a protected page without a validly signed, unexpired session
 *    JWT redirects to the login page before any rendering. It does not look at the session row,
 *    so it is NOT the security boundary: every page, route handler and server action calls
 *    requireSession() itself.
 * 2. On a loopback address other than the configured one, or on Vercel at the deployment's own URL
 *    when the origin is another one, a redirect to the configured origin.
 * 3. The per-request security headers: a nonce-based Content-Security-Policy (Next.js reads the
 *    nonce from the request's copy and puts it on its scripts) and, on https, HSTS.
 */
export async function proxy(request: NextRequest) {
  const vault = getVault();
  const alias = aliasRedirect(request, vault.origin);
  if (alias) return withSecurityHeaders(alias, null);
  if (isPageLoad(request) && PROTECTED.test(request.nextUrl.pathname) && !(await hasValidSessionToken(request))) {
    const { pathname, search } = request.nextUrl;
    // The configured origin, not the request's Host header, which the client controls.
    return withSecurityHeaders(NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), vault.origin)), null);
  }
  const nonce = newNonce();
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy(nonce));
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), nonce);
}

/**
 * Only page loads are redirected. A POST to a protected page is a server action, which answers
 * for itself (a typed @error/Unauthenticated that the page can show), and must reach it.
 */
const isPageLoad = (request: NextRequest) => request.method === "GET" || request.method === "HEAD";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A browser navigating to a page (Sec-Fetch-Dest: document, or at least asking for HTML). A
 * program's GET (a JWKS fetch, the cron scheduler, curl) is answered by its route, never by the
 * HTML page below.
 */
const isDocumentLoad = (request: NextRequest) =>
  isPageLoad(request) &&
  (request.headers.get("sec-fetch-dest") === "document" || (request.headers.get("accept") ?? "").includes("text/html"));

/**
 * The app opened at another name of the same server than its origin: passkeys are bound to the
 * origin, so every ceremony would fail. A browser's page load goes to the configured origin instead, for two
 * kinds of names only:
 * - http://127.0.0.1:3000 while configured for http://localhost:3000 (or the reverse);
 * - on Vercel, the deployment's own URL (VERCEL_URL, e.g. the link in a pull request's preview
 *   comment) when the origin is the branch's URL or the production domain.
 * Only ever to the configured origin: the Host header chooses nothing.
 */
function aliasRedirect(request: NextRequest, origin: string): NextResponse | null {
  const configured = new URL(origin);
  const host = request.headers.get("host") ?? "";
  const hostname = host.replace(/:\d+$/, "");
  const loopbackAlias = LOOPBACK.has(configured.hostname) && LOOPBACK.has(hostname);
  const deploymentUrl = !!process.env.VERCEL_URL && host === process.env.VERCEL_URL;
  if (!isDocumentLoad(request) || host === configured.host || !(loopbackAlias || deploymentUrl)) return null;
  const { pathname, search } = request.nextUrl;
  const target = escapeHtml(onOrigin(origin, pathname, search).toString());
  // Not an HTTP redirect: Next.js shortens a Location on the server's own host and port to a bare
  // path, which the browser would resolve against 127.0.0.1 again, forever. A refresh to the full
  // URL works (CSP does not govern it), and the link says where the app lives.
  const page = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}"><title>Moved</title><p>This app runs at <a href="${target}">${escapeHtml(origin)}</a> (APP_ORIGIN): passkeys only work there.</p>`;
  return new NextResponse(page, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

async function hasValidSessionToken(request: NextRequest): Promise<boolean> {
  const vault = getVault();
  const token = request.cookies.get(sessionCookie(vault).name)?.value;
  if (!token) return false;
  try {
    await vault.verifySessionToken(token);
    return true;
  } catch {
    return false; // expired, tampered, or signed by a key that is no longer published
  }
}

const policy = (nonce: string) =>
  contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === "development",
    https: getVault().origin.startsWith("https://"),
  });

function withSecurityHeaders(response: NextResponse, nonce: string | null): NextResponse {
  // A redirect renders nothing: a policy without a nonce allows no script at all.
  response.headers.set("Content-Security-Policy", policy(nonce ?? newNonce()));
  const hsts = strictTransportSecurity(getVault().origin);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

/**
 * Page loads only: the requests a browser renders as a document, where a nonce, HSTS, the alias
 * redirect and the early redirect to the login page mean something. Not:
 * - Next's static files and the favicon, the same for everyone;
 * - the JSON routes (/api, /.well-known): no page, so no script for a nonce to allow; their
 *   constant headers, a CSP that allows nothing among them, are in next.config.mjs;
 * - a server action's POST (`Next-Action`) and a client-side navigation's fetch (`RSC`): they
 *   answer React payloads, not HTML, and every page and action checks the session itself.
 * Every request the proxy skips is spared its cost: once these were, a sign-in took 0.86× the
 * server CPU (README, Performance). Next.js's own CSP guide leaves prefetches out the same way.
 */
export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.svg|api/|\\.well-known/).*)",
      missing: [
        { type: "header", key: "next-action" },
        { type: "header", key: "rsc" },
      ],
    },
  ],
};
