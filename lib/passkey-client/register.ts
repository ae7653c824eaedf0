import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { postJson } from "./api";
import { ceremonyCancelled, fromBrowserError, passkeyUnsupported } from "./browser-errors";
import type { Result } from "./result";

/**
 * Creates a passkey: authorize → the authenticator → verify. `{ email, displayName }` for a new
 * account, `{}` to add a passkey to the signed-in account. Returns the single-use code to hand to
 * the signIn server action. `signal`: as for authenticateWithPasskey, aborted by a Cancel button.
 */
export function registerPasskey(
  account: { email: string; displayName?: string } | Record<string, never>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Result<{ code: string }>> {
  return runRegistration("/api/passkey/registration", account, signal);
}

/**
 * The registration ceremony against a pair of routes, `<base>/authorize` and `<base>/verify`:
 * shared by ordinary registration and recovery's one passkey (recover.ts).
 */
export async function runRegistration(
  base: string,
  body: object,
  signal?: AbortSignal,
): Promise<Result<{ code: string }>> {
  if (!browserSupportsWebAuthn()) return passkeyUnsupported();
  const start = await postJson<{ token: string; options: PublicKeyCredentialCreationOptionsJSON }>(`${base}/authorize`, body);
  if (!start.ok) return start;
  if (signal?.aborted) return ceremonyCancelled();
  let response;
  try {
    response = await startRegistration({ optionsJSON: start.options });
  } catch (error) {
    return fromBrowserError(error);
  }
  return postJson<{ code: string }>(`${base}/verify`, { token: start.token, response });
}
