"use server";

import { redirect } from "next/navigation";
import { requestContext, startSession } from "@/lib/session";
import { safeNextPath } from "@/lib/session/next-path";
import { isVaultError } from "@/lib/vault";
import { getVault } from "@/lib/vault/instance";
import type { PasskeyError } from "@/lib/passkey-client/result";

/**
 * Exchanges a single-use code from a verified ceremony for a session, sets the cookie and
 * redirects to `next` (same-origin paths only). A server action is a public POST endpoint: the
 * code is the only credential it trusts.
 */
export async function signIn(code: string, next: string): Promise<{ error: PasskeyError }> {
  const vault = getVault();
  try {
    const principal = await vault.exchangeCode(code, await requestContext());
    // Verify what we are about to hand out, exactly as every later request will.
    await vault.authenticateSession(principal.token);
    await startSession(principal);
  } catch (error) {
    if (isVaultError(error)) return { error: error.toJSON().error };
    throw error;
  }
  redirect(safeNextPath(next));
}
