import { jsonRoute } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

/** `{ token, response }` → `{ code }`, or `@error/OrphanedPasskey` for an unknown credential. */
export const POST = jsonRoute((body) => getVault().verifyAuthentication(body));
