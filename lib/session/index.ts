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

/**
 * Sign-in and sign-out both replace this browser's session: the current one (if any) is revoked,
 * so a copied cookie stops working everywhere, and the cookie is overwritten with the same
 * attributes it was set with (a __Host- cookie is only replaced by one that is Secure with Path=/).
 */
async function replaceSession(token: string, expires: Date): Promise<void> {
  const vault = getVault();
  const current = await getSession();
  if (current) await vault.revokeSession(current.sessionId);
  const cookie = sessionCookie(vault.config);
  (await cookies()).set(cookie.name, token, { ...cookie.options, expires });
}

/** After sign-in: the new session's cookie, and the end of the session it replaces. */
export const startSession = (token: string, expiresAt: Date) => replaceSession(token, expiresAt);

/** Sign-out: revokes the session row and clears the cookie. */
export const endSession = () => replaceSession("", new Date(0));

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
