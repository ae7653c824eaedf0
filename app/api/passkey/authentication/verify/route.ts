import { jsonRoute } from "@/lib/http/json-route";
import { getSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ token, response }` → `{ code }`, or `@error/OrphanedPasskey` for an unknown credential. A
 * step-up token is only accepted from the session (cookie) that started it.
 */
export const POST = jsonRoute(async (body) => getVault().verifyAuthentication(body, (await getSession()) ?? undefined));
