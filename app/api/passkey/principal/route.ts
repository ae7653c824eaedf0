import { jsonRoute } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

/**
 * The principal API, server to server: a relying backend (with `Authorization: Bearer <API key>`)
 * sends `{ code }`, the sign-in code its browser got from a ceremony, and gets the principal once:
 * `{ userId, email, emailVerified, passkeyId, userVerified, authTime, expiresAt, id_token }` (no
 * `sessionId`: no session is created here; `emailVerified` false: the email proves nothing, never
 * link accounts by it). `@error/Unauthenticated` for a missing, wrong or revoked key (checked before
 * the body), `@error/InvalidCode` for a used, expired or unknown code.
 *
 * Browsers never get it: no CORS headers are ever sent, and jsonRoute's same-site rule refuses
 * other sites' requests, while a server's request (no Origin, no Sec-Fetch-Site) passes. Limited per
 * address like the sign-in exchange (a backend behind one address shares one budget: raise
 * RATE_LIMIT_CODE_EXCHANGES for a busy one). The key is never logged: it only reaches the vault.
 */
export const POST = jsonRoute({ limit: "codeExchanges" }, (body, request) =>
  getVault().redeemCodeForBackend(bearer(request.headers.get("authorization")), body),
);

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
function bearer(header: string | null): string | undefined {
  return /^Bearer +(\S+)$/i.exec(header ?? "")?.[1];
}
