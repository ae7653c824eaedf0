import { jsonRoute } from "@/lib/http/json-route";
import { getSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ email?, userVerification?, mediation? }` → `{ token, options }` for sign-in, or
 * `{ reauthenticate: true }` with a session cookie → a step-up bound to that session.
 * The session is read only for a step-up: the login page's requests stay cookie-free work.
 */
export const POST = jsonRoute(async (body) => {
  const stepUp = (body as { reauthenticate?: unknown } | null)?.reauthenticate === true;
  const session = stepUp ? await getSession() : null;
  return getVault().authorizeAuthentication(body, session ?? undefined);
});
