import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { postJson } from "./api";
import { ceremonyCancelled, fromBrowserError, passkeyUnsupported } from "./browser-errors";
import type { Result } from "./result";

/**
 * Recovery's one registration: the recovery cookie (set by the redeemRecoveryCode action) says
 * which account. Returns the single-use code for the signIn server action.
 */
export async function createRecoveryPasskey({ signal }: { signal?: AbortSignal } = {}): Promise<Result<{ code: string }>> {
  if (!browserSupportsWebAuthn()) return passkeyUnsupported();
  const start = await postJson<{ token: string; options: PublicKeyCredentialCreationOptionsJSON }>("/api/passkey/recovery/authorize", {});
  if (!start.ok) return start;
  if (signal?.aborted) return ceremonyCancelled();
  let response;
  try {
    response = await startRegistration({ optionsJSON: start.options });
  } catch (error) {
    return fromBrowserError(error);
  }
  return postJson<{ code: string }>("/api/passkey/recovery/verify", { token: start.token, response });
}
