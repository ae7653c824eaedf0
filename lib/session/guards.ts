import "server-only";
import { headers } from "next/headers";
import { limitClient } from "../http/rate-limit";
import { assertSameSite } from "../http/same-site";
import { getVault } from "../vault/instance";
import type { AddressRule, RateLimitSubject } from "../vault/rate-limit";

/**
 * Guards for server actions, which are public POST endpoints like route handlers but do not pass
 * through jsonRoute. Next.js checks a server action's Origin against Host only when Origin is
 * present; these apply the app's own rule (lib/http/same-site.ts) whatever the headers.
 */

/** `@error/Forbidden` for a cross-site call. `runAction` calls it first; `signIn` and `signOut` call it themselves. */
export async function assertSameSiteAction(): Promise<void> {
  assertSameSite(await headers(), getVault().origin);
}

/** Counts one hit of `rule` for the caller's address (from the trusted proxy header), then for `subject`. */
export async function limitAction(rule: AddressRule, subject?: RateLimitSubject): Promise<void> {
  await limitClient(await headers(), rule, subject);
}
