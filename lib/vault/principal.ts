import { authenticateApiKey } from "./api-keys";
import { consumeCode, SIGN_IN_CODES, type Redeemer } from "./codes";
import type { VaultContext } from "./context";
import { VaultError } from "./errors";
import * as input from "./input";
import { recordSecurityEvent, type SecurityEventDetails } from "./security-events";
import type { SessionContext } from "./sessions";
import { signIdToken } from "./tokens";

/**
 * What a relying backend learns from a sign-in code (the principal API): who signed in, with which
 * passkey, how, and an id_token that says so, signed by the vault's keys (see the JWKS).
 */
export interface BackendPrincipal {
  userId: string;
  email: string;
  /**
   * Whether the owner proved they read mail at `email`. False: anyone may have typed someone else's
   * address at sign-up, so never link or look up accounts by an unconfirmed email.
   */
  emailVerified: boolean;
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
  const redeemer = { relyingBackend: { apiKeyId: key.id } };
  const { row, user: { email, emailVerified } } = await redeemSignInCode(ctx, code, redeemer, { apiKeyId: key.id });
  const { token, expiresAt } = await signIdToken(ctx.keys, ctx.config, {
    userId: row.userId,
    email,
    emailVerified,
    authTime: row.authTime,
    userVerified: row.userVerified,
  });
  return {
    userId: row.userId,
    email,
    emailVerified,
    passkeyId: row.passkeyId,
    userVerified: row.userVerified,
    authTime: Math.floor(row.authTime.getTime() / 1000),
    expiresAt,
    id_token: token,
  };
}

/**
 * What another session system in this app's process (next-auth) learns from a sign-in code: who
 * signed in, with which passkey, and how. No token: that system issues its own session.
 */
export interface ServicePrincipal {
  userId: string;
  email: string;
  /** As BackendPrincipal's: an unconfirmed email proves nothing, so never link accounts by it. */
  emailVerified: boolean;
  displayName: string;
  passkeyId: string;
  userVerified: boolean;
  /** Seconds since the epoch: when the ceremony happened. */
  authTime: number;
}

/** A service's name, as the activity list shows it ("Signed in to next-auth"). Set by code, not by input. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Redeems a sign-in code for `service`, in the request of the browser that ran the ceremony: the
 * `service` redeemer (codes.ts), so the code must be bound to exactly `context.browserBinding`.
 * Without a ceremony cookie nothing can match, so the answer is `@error/InvalidCode` at once and
 * the database is not asked. No session is created; the "signed_in" event names the service and
 * the browser, in the same transaction as the redemption.
 */
export async function redeemCodeForService(
  ctx: VaultContext,
  code: unknown,
  service: string,
  context: SessionContext,
): Promise<ServicePrincipal> {
  if (!SERVICE_NAME.test(service)) throw new Error(`service must be a short lower-case name, not ${JSON.stringify(service)}`);
  const secret = input.secretToken(code, "code");
  const browserBinding = context.browserBinding;
  if (!browserBinding) throw new VaultError("InvalidCode", "This code has expired or was already used. Please try again.");
  const { row, user } = await redeemSignInCode(
    ctx,
    secret,
    { service: { name: service, browserBinding } },
    { service },
    context.userAgent,
  );
  return {
    userId: row.userId,
    email: user.email,
    emailVerified: user.emailVerified,
    displayName: user.displayName,
    passkeyId: row.passkeyId,
    userVerified: row.userVerified,
    authTime: Math.floor(row.authTime.getTime() / 1000),
  };
}

/**
 * The one transaction both redemptions share: the code, once (consumeCode), the user it names, and
 * the "signed_in" event with who redeemed it (`redeemedBy`: the API key's id, or the service).
 * The user is read in the same transaction, so `emailVerified` is the state at redemption: an email
 * changed (and so unconfirmed again) before then is never passed on as confirmed.
 */
async function redeemSignInCode(
  ctx: VaultContext,
  code: string,
  redeemer: Redeemer,
  redeemedBy: SecurityEventDetails,
  userAgent?: string | null,
) {
  return ctx.db.$transaction(async (tx) => {
    const row = await consumeCode(tx, code, SIGN_IN_CODES, redeemer);
    const { emailVerifiedAt, ...user } = await tx.user.findUniqueOrThrow({
      where: { id: row.userId },
      select: { email: true, displayName: true, emailVerifiedAt: true },
    });
    await recordSecurityEvent(tx, {
      userId: row.userId,
      type: "signed_in",
      details: { passkeyId: row.passkeyId, method: row.ceremony, userVerified: row.userVerified, ...redeemedBy },
      userAgent,
    });
    return { row, user: { ...user, emailVerified: emailVerifiedAt !== null } };
  });
}
