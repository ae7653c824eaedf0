import { jsonRoute } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ token, response }` → `{ code }`. A token bound to a session re-checks that session itself.
 * Limited per address only: the account is not known until the response is verified, and each
 * token is single-use, so verifications cannot outrun the address's challenges anyway.
 */
export const POST = jsonRoute({ limit: "verifications" }, (body) => getVault().verifyRegistration(body));
