"use server";

import { prepareAndMailAfterResponse } from "@/lib/mail/deliver";
import { emailCodeMessage } from "@/lib/mail/templates";
import { ceremonyBinding, requestContext, startRecovery } from "@/lib/session";
import { runAction } from "@/lib/session/action";
import { limitAction } from "@/lib/session/guards";
import * as input from "@/lib/vault/input";
import { getVault } from "@/lib/vault/instance";

/**
 * Step 1 of recovery: mails a code if the email belongs to an account (an unconfirmed one too:
 * that is how its owner claims it from whoever signed up with it). The answer is the same in every
 * case, and as fast: the lookup, the code and the mail all happen after the response, so this does
 * not tell who has an account. Limited per address and per email (emailLookups, perEmail); the
 * vault also caps codes per account. The ceremony cookie set here binds the code to this browser.
 */
export async function requestRecoveryCode(email: unknown) {
  return runAction(async () => {
    await limitAction("emailLookups", { email });
    const vault = getVault();
    const address = input.email(email); // bad input gets its BadRequest now; the rest waits
    const binding = await ceremonyBinding();
    // Looking the account up and writing its code happen after the response, with the mail: the
    // answer then takes as long for an unknown email as for an account's.
    prepareAndMailAfterResponse(async () => {
      const delivery = await vault.requestRecovery({ email: address }, binding);
      return delivery && emailCodeMessage(delivery, vault.origin);
    });
    return {};
  });
}

/**
 * Step 2: `{ email, code }` or `{ link }` → the recovery cookie (a 10-minute session that can only
 * add a passkey). Limited per address and per email (codeExchanges); each code also dies after 5
 * wrong tries, and after 10 a day for the account typed codes are refused (the link still works).
 * `claim`: the account's email was never confirmed, so finishing removes the passkeys
 * on it (told now, to the person who has just proved the address, so the page can say so first).
 */
export async function redeemRecoveryCode(body: { email: unknown; code: unknown } | { link: unknown }) {
  return runAction(async () => {
    await limitAction("codeExchanges", "email" in body ? { email: body.email } : {});
    const grant = await getVault().redeemRecovery(body, await requestContext());
    await startRecovery(grant);
    return { claim: grant.claim };
  });
}
