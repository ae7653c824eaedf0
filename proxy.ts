import { NextResponse, type NextRequest } from "next/server";
import { sessionCookie } from "@/lib/session/cookie";
import { loginPath } from "@/lib/session/next-path";
import { getVault } from "@/lib/vault/instance";

/**
 * The optimistic check: a protected page without a validly signed, unexpired session JWT redirects
 * to the login page before any rendering. It does not look at the session row, so it is NOT the
 * security boundary: every page, route handler and server action calls requireSession() itself.
 */
export async function proxy(request: NextRequest) {
  const vault = getVault();
  const token = request.cookies.get(sessionCookie(vault).name)?.value;
  if (token) {
    try {
      await vault.verifySessionToken(token);
      return NextResponse.next();
    } catch {
      // Fall through to the redirect: expired, tampered or from a rotated-out key.
    }
  }
  const { pathname, search } = request.nextUrl;
  // The configured origin, not the request's Host header, which the client controls.
  return NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), vault.origin));
}

export const config = { matcher: ["/account/:path*"] };
