import { jsonRoute } from "@/lib/http/json-route";
import { limitClient, limitSubject } from "@/lib/http/rate-limit";
import { ceremonyBinding, getSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ email?, userVerification?, mediation? }` → `{ token, options }` for sign-in, or
 * `{ reauthenticate: true }` with a session cookie → a step-up bound to that session.
 * The session is read only for a step-up: the login page's requests stay cookie-free work.
 *
 * Every start stores a challenge (`challenges`, per address). Email-first sign-in is also an email
 * lookup (per address and per email: someone who knows the email can only delay it by one short
 * window, and sign-in without an email is never keyed by it). A step-up counts for its account.
 */
export const POST = jsonRoute({ limit: "challenges" }, async (body, request) => {
  const fields = (body ?? {}) as { reauthenticate?: unknown; email?: unknown };
  const stepUp = fields.reauthenticate === true;
  const session = stepUp ? await getSession() : null;
  if (session) await limitSubject({ accountId: session.userId });
  if (fields.email !== undefined) await limitClient(request.headers, "emailLookups", { email: fields.email });
  return getVault().authorizeAuthentication(body, session ?? undefined, await ceremonyBinding());
});
