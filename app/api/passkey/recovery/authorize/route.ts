import { jsonRoute } from "@/lib/http/json-route";
import { limitSubject } from "@/lib/http/rate-limit";
import { ceremonyBinding, requireRecoverySession } from "@/lib/session";
import * as input from "@/lib/vault/input";
import { getVault } from "@/lib/vault/instance";

/**
 * `{}` → starts the one passkey registration a recovery session may run. The recovery session
 * comes from its own cookie (lib/session/cookie.ts recoveryCookie), never from the body; an
 * ordinary session cannot start this, and a recovery session can start nothing else.
 */
export const POST = jsonRoute({ limit: "challenges" }, async (body) => {
  input.object(body, "body", []);
  const recovery = await requireRecoverySession();
  await limitSubject({ accountId: recovery.userId });
  return getVault().authorizeRecoveryRegistration(recovery, await ceremonyBinding());
});
