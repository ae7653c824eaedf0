"use server";

import { redirect } from "next/navigation";
import { requestContext, startSession } from "@/lib/session";
import { assertSameSiteAction, limitAction } from "@/lib/session/guards";
import { safeNextPath } from "@/lib/session/next-path";
import { isVaultError } from "@/lib/vault";
import { getVault } from "@/lib/vault/instance";
import type { PasskeyError } from "@/lib/passkey-client/result";

/**
 * Exchanges a single-use code from a verified ceremony for a session, sets the cookie and
 * redirects to `next` (same-origin paths only). A server action is a public POST endpoint: the
 * code is the only credential it trusts. Cross-site calls are refused (a login CSRF would sign the
 * victim in to the attacker's account), and exchanges are limited per address (`codeExchanges`);
 * not per account, which is known only once the code is redeemed.
 */
export async function signIn(code: string, next: string): Promise<{ error: PasskeyError }> {
  const vault = getVault();
  try {
    await assertSameSiteAction();
    await limitAction("codeExchanges");
    // The token was signed and its session row written just now, by this server: checking them
    // again here would cost a signature verification and a query and prove nothing. The next
    // request checks them as every request does (JWT and live row).
    await startSession(await vault.exchangeCode(code, await requestContext()));
  } catch (error) {
    if (isVaultError(error)) return { error: error.toJSON().error };
    throw error;
  }
  redirect(safeNextPath(next));
}
