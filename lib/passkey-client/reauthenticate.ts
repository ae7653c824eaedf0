import { errorTag } from "../contract/errors";
import { authenticateWithPasskey } from "./authenticate";
import type { Result } from "./result";

/**
 * Step-up re-authentication, the browser half. The server answers a sensitive operation with
 * `@error/ReauthenticationRequired` when the session's last user-verified ceremony is older than
 * the step-up window; the page then proves the person is still there with a passkey ceremony that
 * requires user verification (PIN, fingerprint, face), and retries the operation once.
 */

/** The `reauthenticate` server action (app/account/actions.ts): exchanges the step-up code, renews the cookie. */
export type ExchangeStepUpCode = (code: string) => Promise<Result<object>>;

/**
 * Runs the step-up ceremony: `{ reauthenticate: true }` → the authenticator, with
 * `userVerification: "required"` → verify → `exchange(code)`. A person who closes the prompt, or
 * whose authenticator cannot verify them (a security key without a PIN), gets `@error/Cancelled`:
 * browsers report both the same way, so the page explains both.
 */
export async function reauthenticate(exchange: ExchangeStepUpCode, signal?: AbortSignal): Promise<Result<object>> {
  const ceremony = await authenticateWithPasskey({ reauthenticate: true, signal });
  if (!ceremony.ok) return ceremony;
  return exchange(ceremony.code);
}

/**
 * Runs `operation`; if the server asks for re-authentication, runs `stepUp` (which usually opens a
 * "Confirm it's you" dialog and calls `reauthenticate`) and then `operation` once more. The
 * operation is a closure over what the person typed, so nothing they entered is lost.
 */
export async function withReauthentication<T extends object>(
  operation: () => Promise<Result<T>>,
  stepUp: () => Promise<Result<object>>,
): Promise<Result<T>> {
  const first = await operation();
  if (first.ok || first.error.tag !== errorTag("ReauthenticationRequired")) return first;
  const confirmed = await stepUp();
  if (!confirmed.ok) return confirmed;
  return operation();
}
