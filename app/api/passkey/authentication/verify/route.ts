import { jsonRoute } from "@/lib/http/json-route";
import { getSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ token, response }` → `{ code }`, or `@error/OrphanedPasskey` for an unknown credential (not
 * on an email-first login: see verifyAuthentication). A step-up token is only accepted from the
 * session (cookie) that started it. Limited per address only: the account is known only once the
 * response verifies, and a per-account count of failures would let anyone who holds a victim's
 * credential id slow the victim's real passkey.
 */
export const POST = jsonRoute({ limit: "verifications" }, async (body) =>
  getVault().verifyAuthentication(body, (await getSession()) ?? undefined),
);
