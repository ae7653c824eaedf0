import { NextResponse, type NextRequest } from "next/server";
import { assertSameSite } from "@/lib/http/same-site";
import { revokeCurrentSession } from "@/lib/session";
import { sessionCookie } from "@/lib/session/cookie";
import { getVault } from "@/lib/vault/instance";

/**
 * Sign-out, as a plain form POST (it works without JavaScript). A route handler rather than a
 * server action because it must set response headers: the cookie is cleared and
 * `Clear-Site-Data: "cookies", "storage"` tells the browser to drop everything this site stored,
 * whatever happens to the session row: if the database cannot revoke it now, the browser still
 * ends up signed out (and the failure is logged). A cross-site POST changes nothing: another site
 * must not sign people out.
 */
export async function POST(request: NextRequest) {
  const vault = getVault();
  try {
    assertSameSite(request.headers, vault.origin);
  } catch {
    return NextResponse.redirect(new URL("/", vault.origin), 303);
  }
  await revokeCurrentSession();
  const response = NextResponse.redirect(new URL("/login?notice=signed-out", vault.origin), 303);
  const cookie = sessionCookie(vault);
  response.cookies.set(cookie.name, "", { ...cookie.options, expires: new Date(0) });
  response.headers.set("Clear-Site-Data", '"cookies", "storage"');
  response.headers.set("Cache-Control", "no-store");
  return response;
}
