import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { nextAuthOptions } from "@/lib/integrations/next-auth";

/**
 * next-auth's routes (/api/auth/csrf, /providers, /session, /callback/passkey, /signout…), with the
 * passkey provider (lib/integrations/next-auth.ts). The options are built per request, so `next
 * build` needs no NEXTAUTH_SECRET. next-auth checks its own CSRF token on every POST; the passkey
 * provider adds the app's same-site rule and code-exchange rate limit.
 */
function handler(request: NextRequest, context: RouteContext<"/api/auth/[...nextauth]">) {
  return NextAuth(request, context, nextAuthOptions());
}

export { handler as GET, handler as POST };
