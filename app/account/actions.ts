"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getSession } from "@/lib/session";
import { sessionCookie } from "@/lib/session/cookie";
import { getVault } from "@/lib/vault/instance";

/** Revokes the session row (so a copied cookie stops working everywhere) and clears the cookie. */
export async function signOut(): Promise<void> {
  const vault = getVault();
  const session = await getSession();
  if (session) await vault.revokeSession(session.sessionId);
  (await cookies()).delete({ name: sessionCookie(vault.config).name, path: "/" });
  redirect("/login");
}
