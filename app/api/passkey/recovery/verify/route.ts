import { jsonRoute } from "@/lib/http/json-route";
import { mailAfterResponse } from "@/lib/mail/deliver";
import { passkeyAddedMail } from "@/lib/mail/templates";
import { endRecovery } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ token, response }` → `{ code }`: finishes recovery. The vault adds the passkey, spends the
 * recovery session and ends every other session in one transaction; the owner is mailed that a
 * passkey was added (if it was not them, that mail is how they find out). The code signs in as
 * any registration's does (the signIn action).
 */
export const POST = jsonRoute({ limit: "verifications" }, async (body) => {
  const vault = getVault();
  const { code, notify } = await vault.verifyRecoveryRegistration(body);
  await endRecovery();
  mailAfterResponse(passkeyAddedMail(notify.to, notify.passkeyName, `${vault.origin}/account`));
  return { code };
});
