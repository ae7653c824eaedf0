import { jsonRoute } from "@/lib/http/json-route";
import { requireApiSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ email, displayName? }` starts a new account; `{}` adds a passkey to the signed-in account
 * (the session comes from the cookie, never from the body).
 */
export const POST = jsonRoute(async (body) => {
  const addingToSession = isEmptyObject(body);
  const session = addingToSession ? await requireApiSession() : undefined;
  return getVault().authorizeRegistration(body, session);
});

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
