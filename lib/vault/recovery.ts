import type { Session, VaultContext } from "./context";
import {
  checkEmailCode,
  consumeEmailCode,
  consumeEmailLink,
  issueEmailCode,
  parseCode,
  type EmailCodeDelivery,
  type EmailCodeRow,
} from "./email-codes";
import { VaultError } from "./errors";
import * as input from "./input";
import { newId } from "./random";
import { registrationChallenge, verifyRegistration } from "./registration";
import { recordSecurityEvent } from "./security-events";
import type { SessionContext } from "./sessions";
import { RECOVERY_TOKEN_TYPE, signSessionToken, verifySessionToken } from "./tokens";

/**
 * Email verification and account recovery: what an emailed code can do.
 *
 * Recovery: a verified email gets a code; the code (or link), in the browser that asked, grants a
 * recovery session: a session row of kind "recovery", 10 minutes, no user verification, whose JWT
 * has the `typ` recovery+jwt. Nothing that takes a session accepts it (verifySessionToken and
 * authenticateSession refuse its typ and its row), and its type here (RecoverySession) is not a
 * Session, so it cannot be handed to a method that takes one. It can do exactly one thing: start and
 * finish adding one passkey. Finishing spends it, ends every other session of the account and
 * records "recovered"; the new passkey's code then signs in normally.
 *
 * The price: whoever reads the account's mail can add a passkey. That is why only a verified email
 * recovers, the owner is mailed when it happens, and every other session (an attacker's, or the
 * owner's) ends.
 */

export const RECOVERY_SESSION_SECONDS = 10 * 60;

/** A live recovery session: only recovery's own methods take it. */
export interface RecoverySession {
  recoverySessionId: string;
  userId: string;
  expiresAt: Date;
}

export interface RecoveryGrant {
  /** The recovery JWT (typ recovery+jwt), for its own cookie. */
  token: string;
  expiresAt: Date;
}

const recoveryEnded = () =>
  new VaultError("Unauthenticated", "This recovery has ended. Ask for a new code to try again.");

/**
 * Asks for a recovery code. Returns what to mail, or null for an unknown email, an unverified one,
 * or one that has had its share of codes: the caller answers the same in every case and mails nothing.
 */
export async function requestRecovery(ctx: VaultContext, body: unknown, browserBinding: string): Promise<EmailCodeDelivery | null> {
  const fields = input.object(body, "body", ["email"]);
  const email = input.email(fields.email);
  const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (!user?.emailVerifiedAt) return null;
  return issueEmailCode(ctx, user, "recovery", browserBinding);
}

/** `{ email, code }` (typed) or `{ link }` (the emailed link's token): a recovery session for this browser. */
export async function redeemRecovery(ctx: VaultContext, body: unknown, context: SessionContext): Promise<RecoveryGrant> {
  const fields = input.object(body, "body", ["email", "code", "link"]);
  let checked: EmailCodeRow | undefined;
  if (fields.link === undefined) {
    const email = input.email(fields.email);
    const code = parseCode(fields.code);
    const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true } });
    checked = await checkEmailCode(ctx, user?.id, "recovery", code, context.browserBinding);
  }
  const link = fields.link === undefined ? undefined : input.secretToken(fields.link, "token");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + RECOVERY_SESSION_SECONDS * 1000);
  const session = await ctx.db.$transaction(async (tx) => {
    const row = checked ?? (await consumeEmailLink(tx, link!, "recovery", context.browserBinding));
    if (checked) await consumeEmailCode(tx, checked);
    // The address must still be the account's, and still verified.
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { email: true, emailVerifiedAt: true } });
    if (!user?.emailVerifiedAt || user.email !== row.email) throw recoveryEnded();
    const created = await tx.session.create({
      data: {
        id: newId(),
        userId: row.userId,
        kind: "recovery",
        passkeyId: null,
        userVerified: false,
        authTime: now,
        userAgent: context.userAgent?.slice(0, 512) || null,
        expiresAt,
      },
    });
    await recordSecurityEvent(tx, { userId: row.userId, type: "recovery_started", details: { sessionId: created.id }, userAgent: created.userAgent });
    return created;
  });
  const token = await signSessionToken(
    ctx.keys,
    ctx.config,
    { userId: session.userId, sessionId: session.id, authTime: now, userVerified: false, expiresAt },
    RECOVERY_TOKEN_TYPE,
  );
  return { token, expiresAt };
}

/** The recovery JWT verified (its own typ) and its row live and of kind "recovery". */
export async function authenticateRecoverySession(ctx: VaultContext, token: string): Promise<RecoverySession> {
  const claims = await verifySessionToken(ctx.keys, ctx.config, token, RECOVERY_TOKEN_TYPE).catch(() => {
    throw recoveryEnded();
  });
  const row = await ctx.db.session.findUnique({ where: { id: claims.sid } });
  if (!row || row.kind !== "recovery" || row.revokedAt || row.expiresAt <= new Date() || row.userId !== claims.sub) {
    throw recoveryEnded();
  }
  return { recoverySessionId: row.id, userId: row.userId, expiresAt: row.expiresAt };
}

/** Starts the one registration a recovery session may run, for its account. */
export async function authorizeRecoveryRegistration(ctx: VaultContext, recovery: RecoverySession, browserBinding?: string) {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: recovery.userId } });
  return registrationChallenge(
    ctx,
    { email: user.email, displayName: user.displayName, webauthnUserId: user.webauthnUserId, userId: user.id },
    "recovery",
    recovery.recoverySessionId,
    browserBinding,
  );
}

/**
 * Finishes recovery's registration. In the passkey's transaction: the recovery session is spent
 * (one conditional write: two finishes cannot both add a passkey), every other session of the
 * account ends, and "recovered" is recorded. Answers the sign-in code and what the owner is mailed.
 */
export async function verifyRecoveryRegistration(
  ctx: VaultContext,
  body: unknown,
): Promise<{ code: string; notify: { to: string; passkeyName: string } }> {
  let to = "";
  const { code, passkeyName } = await verifyRegistration(ctx, body, "recovery", async (tx, added) => {
    const now = new Date();
    const spent = await tx.session.updateMany({
      where: { id: added.challenge.sessionId!, kind: "recovery", revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    if (spent.count !== 1) throw recoveryEnded();
    const { count } = await tx.session.updateMany({ where: { userId: added.userId, revokedAt: null }, data: { revokedAt: now } });
    await recordSecurityEvent(tx, { userId: added.userId, type: "recovered", details: { passkeyId: added.passkeyId, name: added.name, count } });
    to = (await tx.user.findUniqueOrThrow({ where: { id: added.userId }, select: { email: true } })).email;
  });
  return { code, notify: { to, passkeyName } };
}

/** Mails a verification code to the signed-in account's address; null when it is already verified (or capped). */
export async function requestEmailVerification(ctx: VaultContext, session: Session, browserBinding: string): Promise<EmailCodeDelivery | null> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: session.userId }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (user.emailVerifiedAt) return null;
  return issueEmailCode(ctx, user, "verify_email", browserBinding);
}

/** `{ code }` or `{ link }`: marks the session's account's email verified (if it is still the address the code went to). */
export async function verifyEmail(ctx: VaultContext, session: Session, body: unknown, browserBinding: string | undefined): Promise<void> {
  const fields = input.object(body, "body", ["code", "link"]);
  const checked =
    fields.link === undefined ? await checkEmailCode(ctx, session.userId, "verify_email", parseCode(fields.code), browserBinding) : undefined;
  const link = fields.link === undefined ? undefined : input.secretToken(fields.link, "token");
  await ctx.db.$transaction(async (tx) => {
    const row = checked ?? (await consumeEmailLink(tx, link!, "verify_email", browserBinding));
    if (checked) await consumeEmailCode(tx, checked);
    // Only for the account it was sent for (a link opened while signed in to another account does
    // nothing), and only for the address it went to (not one changed to since).
    const { count } =
      row.userId === session.userId
        ? await tx.user.updateMany({ where: { id: session.userId, email: row.email }, data: { emailVerifiedAt: new Date() } })
        : { count: 0 };
    if (count !== 1) throw new VaultError("InvalidCode", "This code is for another address. Ask for a new one.");
    await recordSecurityEvent(tx, { userId: session.userId, type: "email_verified" });
  });
}
