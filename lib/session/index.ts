import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { VaultError, isVaultError, type Session } from "../vault";
import { getVault } from "../vault/instance";
import { sessionCookie } from "./cookie";
import { loginPath } from "./next-path";

/**
 * The data layer's session check. Every page, route handler and server action that touches user
 * data calls one of these: proxy.ts only makes the common case fast, it is not the boundary.
 */

/** The live session, or null. Verifies the JWT and that its session row is not revoked or expired. */
export const getSession = cache(async (): Promise<Session | null> => {
  // Cookies first: it marks the page as per-request, so `next build` never prerenders it.
  const jar = await cookies();
  const vault = getVault();
  const token = jar.get(sessionCookie(vault.config).name)?.value;
  if (!token) return null;
  try {
    return await vault.authenticateSession(token);
  } catch (error) {
    if (isVaultError(error) && error.kind === "Unauthenticated") return null;
    throw error;
  }
});

/** For pages and server actions: the live session, or a redirect to the login page. */
export async function requireSession(returnTo = "/"): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(loginPath(returnTo));
  return session;
}

/** For route handlers: the live session, or a typed 401. */
export async function requireApiSession(): Promise<Session> {
  const session = await getSession();
  if (!session) throw new VaultError("Unauthenticated", "Sign in first.");
  return session;
}
