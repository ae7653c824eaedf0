import "server-only";
import { isVaultError } from "../vault";
import type { WireError } from "../contract/errors";
import { assertSameSiteAction } from "./guards";

/**
 * What a server action returns: its value, or the same typed error a route handler would answer.
 * Server actions must not throw expected failures: Next.js hides a thrown error's message from the
 * browser in production, so the page could not tell "confirm it's you" from "server down".
 */
export type ActionResult<T> = ({ ok: true } & T) | { ok: false; error: WireError };

/**
 * Runs a server action's body, turning a VaultError into `{ ok: false, error }`. Anything else is
 * rethrown (and logged by Next). A cross-site call is refused (`@error/Forbidden`) before the body runs.
 */
export async function runAction<T extends object>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    await assertSameSiteAction();
    return { ok: true, ...(await body()) };
  } catch (error) {
    if (isVaultError(error)) return { ok: false, error: error.toJSON().error };
    throw error;
  }
}
