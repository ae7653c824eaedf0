import { jsonRoute } from "@/lib/http/json-route";
import { mailAfterResponse } from "@/lib/mail/deliver";
import { emailCodeMessage } from "@/lib/mail/templates";
import { requestContext } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ token, response }` → `{ code }`. A token bound to a session re-checks that session itself.
 * Limited per address only: the account is not known until the response is verified, and each
 * token is single-use, so verifications cannot outrun the address's challenges anyway.
 *
 * A new account's email is unconfirmed: its confirmation code is mailed right away (after the
 * response), bound to this browser like every email code, so the account page only asks for it.
 */
export const POST = jsonRoute({ limit: "verifications" }, async (body) => {
  const vault = getVault();
  const { code, confirmEmail } = await vault.verifyRegistration(body, (await requestContext()).browserBinding);
  if (confirmEmail) mailAfterResponse(emailCodeMessage(confirmEmail, vault.origin));
  return { code };
});
