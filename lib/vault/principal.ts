import { authenticateApiKey } from "./api-keys";
import { consumeCode, SIGN_IN_CODES } from "./codes";
import type { VaultContext } from "./context";
import * as input from "./input";
import { recordSecurityEvent } from "./security-events";
import { signIdToken } from "./tokens";

/**
 * What a relying backend learns from a sign-in code (the principal API): who signed in, with which
 * passkey, how, and an id_token that says so, signed by the vault's keys (see the JWKS).
 */
export interface BackendPrincipal {
  userId: string;
  email: string;
  /**
   * Absent: redeeming for a relying backend creates no session in this app. The backend runs its
   * own session (next-auth's, say); the id_token is proof of the sign-in, not a session.
   */
  sessionId?: string;
  passkeyId: string;
  userVerified: boolean;
  /** Seconds since the epoch: when the ceremony happened. */
  authTime: number;
  /** Seconds since the epoch; the id_token's `exp`. */
  expiresAt: number;
  /** JWT, `typ` id+jwt, `aud` ID_TOKEN_AUDIENCE. */
  id_token: string;
}

/**
 * Redeems a sign-in code (`body`: `{ code }`) for the relying backend holding `apiKey`: the key first
 * (`@error/Unauthenticated`), then the code exactly once (`@error/InvalidCode`), as the
 * `relyingBackend` redeemer (codes.ts says why the browser binding does not apply). No session is
 * created. The "signed_in" event, in the same transaction as the redemption, names the key.
 */
export async function redeemCodeForBackend(ctx: VaultContext, apiKey: unknown, body: unknown): Promise<BackendPrincipal> {
  // The key before anything else: without one, a caller learns nothing, not even that its body is malformed.
  const key = await authenticateApiKey(ctx.db, apiKey);
  const code = input.secretToken(input.object(body, "body", ["code"]).code, "code");
  const { row, email } = await ctx.db.$transaction(async (tx) => {
    const row = await consumeCode(tx, code, SIGN_IN_CODES, { relyingBackend: { apiKeyId: key.id } });
    const { email } = await tx.user.findUniqueOrThrow({ where: { id: row.userId }, select: { email: true } });
    await recordSecurityEvent(tx, {
      userId: row.userId,
      type: "signed_in",
      details: { passkeyId: row.passkeyId, method: row.ceremony, userVerified: row.userVerified, apiKeyId: key.id },
    });
    return { row, email };
  });
  const { token, expiresAt } = await signIdToken(ctx.keys, ctx.config, {
    userId: row.userId,
    email,
    authTime: row.authTime,
    userVerified: row.userVerified,
  });
  return {
    userId: row.userId,
    email,
    passkeyId: row.passkeyId,
    userVerified: row.userVerified,
    authTime: Math.floor(row.authTime.getTime() / 1000),
    expiresAt,
    id_token: token,
  };
}
