import { jsonRoute } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

/** `{ token, response }` → `{ code }`. A token bound to a session re-checks that session itself. */
export const POST = jsonRoute((body) => getVault().verifyRegistration(body));
