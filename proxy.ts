import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "@/lib/http/security-headers";
import { sessionCookie } from "@/lib/session/cookie";
import { loginPath } from "@/lib/session/next-path";
import { getVault } from "@/lib/vault/instance";

/** Pages that need a session. The check here is only the fast path; see below. */
const PROTECTED = /^\/account(\/|$)/;

/**
 * Runs before every page and route (not static files):
 *
 * 1. The optimistic session check: a protected page without a validly signed, unexpired session
 *    JWT redirects to the login page before any rendering. It does not look at the session row,
 *    so it is NOT the security boundary: every page, route handler and server action calls
 *    requireSession() itself.
 * 2. The per-request security headers: a nonce-based Content-Security-Policy (Next.js reads the
 *    nonce from the request's copy and puts it on its scripts) and, on https, HSTS.
 */
export async function proxy(request: NextRequest) {
  const vault = getVault();
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

// Everything but Next's static files and the favicon, which are the same for everyone.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"] };
