import { jsonRoute } from "@/lib/http/json-route";
import { limitClient, limitSubject } from "@/lib/http/rate-limit";
import { ceremonyBinding, requireApiSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/**
 * `{ email, displayName? }` starts a new account; `{}` adds a passkey to the signed-in account
 * (the session comes from the cookie, never from the body). Every start stores a challenge
 * (`challenges`, per address). A new account's start answers whether the email is taken, so it is
 * also an email lookup (per address and per email); adding a passkey counts for the account.
 */
export const POST = jsonRoute({ limit: "challenges" }, async (body, request) => {
  if (isEmptyObject(body)) {
    const session = await requireApiSession();
    await limitSubject({ accountId: session.userId });
    return getVault().authorizeRegistration(body, session, await ceremonyBinding());
  }
  await limitClient(request.headers, "emailLookups", { email: (body as { email?: unknown } | null)?.email });
  return getVault().authorizeRegistration(body, undefined, await ceremonyBinding());
});

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
