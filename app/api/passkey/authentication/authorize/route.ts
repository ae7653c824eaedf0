import { jsonRoute } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

/** `{ email?, userVerification?, mediation? }` → `{ token, options }`. */
export const POST = jsonRoute((body) => getVault().authorizeAuthentication(body));
