import { runRegistration } from "./register";
import type { Result } from "./result";

/**
 * Recovery's one registration: the recovery cookie (set by the redeemRecoveryCode action) says
 * which account. Returns the single-use code for the signIn server action.
 */
export function createRecoveryPasskey({ signal }: { signal?: AbortSignal } = {}): Promise<Result<{ code: string }>> {
  return runRegistration("/api/passkey/recovery", {}, signal);
}
