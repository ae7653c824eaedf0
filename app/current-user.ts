import "server-only";
import { cache } from "react";
import { getSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * The signed-in person's profile, or null: one query per request however many components ask
 * (the layout's header and the login page both do).
 */
export const getCurrentUser = cache(async () => {
  const session = await getSession();
  return session ? getVault().getUser(session.userId) : null;
});
