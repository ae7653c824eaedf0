"use server";

import { redirect } from "next/navigation";
import { prepareAndMailAfterResponse } from "@/lib/mail/deliver";
import { emailCodeMessage } from "@/lib/mail/templates";
import { ceremonyBinding, requestContext, startSession } from "@/lib/session";
import { runAction } from "@/lib/session/action";
import { limitAction } from "@/lib/session/guards";
import { safeNextPath } from "@/lib/session/next-path";
import * as input from "@/lib/vault/input";
import { getVault } from "@/lib/vault/instance";
import type { PasskeyError } from "@/lib/passkey-client/result";

/**
 * Exchanges a single-use code from a verified ceremony for a session, sets the cookie and
 * redirects to `next` (same-origin paths only). A server action is a public POST endpoint: the
 * code is the only credential it trusts. Cross-site calls are refused (a login CSRF would sign the
 * victim in to the attacker's account), and exchanges are limited per address (`codeExchanges`);
 * not per account, which is known only once the code is redeemed.
 */
export async function signIn(code: string, next: string): Promise<{ ok: false; error: PasskeyError }> {
  // runAction refuses a cross-site call before the body runs, and answers a VaultError as { ok: false, error }.
  const result = await runAction(async () => {
    await limitAction("codeExchanges");
    // The token was signed and its session row written just now, by this server: checking them
    // again here would cost a signature verification and a query and prove nothing. The next
    // request checks them as every request does (JWT and live row).
    await startSession(await getVault().exchangeCode(code, await requestContext()));
    return {};
  });
  if (!result.ok) return result;
  redirect(safeNextPath(next));
}

/**
 * The fallback for browsers without WebAuthn, step 1: mails a sign-in code if the email is an
 * account's confirmed email. The answer is the same in every case, and as fast: the lookup, the
 * code and the mail all happen after the response. Limited per address and per email; the ceremony
 * cookie set here binds the code to this browser.
 */
export async function requestSignInCode(email: unknown) {
  return runAction(async () => {
    await limitAction("emailLookups", { email });
    const vault = getVault();
    const address = input.email(email); // bad input gets its BadRequest now; the rest waits
    const binding = await ceremonyBinding();
    // Looking the account up and writing its code happen after the response, with the mail: the
    // answer then takes as long for an unknown email as for an account's.
    prepareAndMailAfterResponse(async () => {
      const delivery = await vault.requestEmailSignIn({ email: address }, binding);
      return delivery && emailCodeMessage(delivery, vault.origin);
    });
    return {};
  });
}

/**
 * Step 2: `{ email, code }` or `{ link }` → a session marked as an email-code sign-in (never
 * user-verified: sensitive changes still need a passkey), then a redirect to `next`. Limited per
 * address and per email (codeExchanges); each code also dies after 5 wrong tries, and after 10 a day
 * for the account typed codes are refused (the link still works).
 */
export async function signInWithEmailCode(
  proof: { email: unknown; code: unknown } | { link: unknown },
  next: string,
): Promise<{ ok: false; error: PasskeyError }> {
  const result = await runAction(async () => {
    await limitAction("codeExchanges", "email" in proof ? { email: proof.email } : {});
    await startSession(await getVault().signInWithEmailCode(proof, await requestContext()));
    return {};
  });
  if (!result.ok) return result;
  redirect(safeNextPath(next));
}
