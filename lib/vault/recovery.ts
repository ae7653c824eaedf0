import { spendCodes } from "./codes";
import type { Session, VaultContext } from "./context";
import { issueEmailCode, readEmailCodeProof, redeemEmailCode, type EmailCodeDelivery } from "./email-codes";
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
 * The price: whoever reads the account's mail can add a passkey. That is why the owner is mailed
 * when it happens, and every other session (an attacker's, or the owner's) ends.
 *
 * Claiming an email: an account whose email was never confirmed proves nothing about who holds it
 * (anyone can sign up with someone else's address). Recovering it is a claim: whoever proves the
 * address by its code gets the account, and the passkeys already on it are removed in the same
 * transaction that adds theirs (recorded as "email_claimed"), with the email now confirmed. So a
 * squatter cannot keep an address from its owner, and keeps no way into the account they made.
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
  /**
   * The account's email was never confirmed: finishing is a claim, which removes the passkeys
   * already on it. Told only now, to the person who has just proved the address.
   */
  claim: boolean;
}

const recoveryEnded = () =>
  new VaultError("Unauthenticated", "This recovery has ended. Ask for a new code to try again.");

/**
 * Asks for a recovery code. Returns what to mail, or null for an unknown email or one that has had
 * its share of codes: the caller answers the same in every case and mails nothing. An unconfirmed
 * email gets a code too: that is how its owner claims it (see above).
 */
export async function requestRecovery(ctx: VaultContext, body: unknown, browserBinding: string): Promise<EmailCodeDelivery | null> {
  const fields = input.object(body, "body", ["email"]);
  const email = input.email(fields.email);
  const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) return null;
  return issueEmailCode(ctx, user, "recovery", browserBinding);
}

/** `{ email, code }` (typed) or `{ link }` (the emailed link's token): a recovery session for this browser. */
export async function redeemRecovery(ctx: VaultContext, body: unknown, context: SessionContext): Promise<RecoveryGrant> {
  const proof = await readEmailCodeProof(ctx.db, body);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + RECOVERY_SESSION_SECONDS * 1000);
  const { session, claim } = await redeemEmailCode(ctx, proof, "recovery", context.browserBinding, async (tx, row) => {
    // The address must still be the account's (a change of email ends what the old one started).
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { email: true, emailVerifiedAt: true } });
    if (!user || user.email !== row.email) throw recoveryEnded();
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
    const claim = user.emailVerifiedAt === null;
    await recordSecurityEvent(tx, {
      userId: row.userId,
      type: "recovery_started",
      details: { sessionId: created.id, claim },
      userAgent: created.userAgent,
    });
    return { session: created, claim };
  });
  const token = await signSessionToken(
    ctx.keys,
    ctx.config,
    { userId: session.userId, sessionId: session.id, method: "email_code", authTime: now, userVerified: false, expiresAt },
    RECOVERY_TOKEN_TYPE,
  );
  return { token, expiresAt, claim };
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
 * account ends, every unspent sign-in or step-up code with it, and "recovered" is recorded. For an account whose email was never confirmed, the
 * same transaction is the claim: every other passkey is removed, the email is confirmed and
 * "email_claimed" is recorded. Answers the sign-in code and what the owner is mailed.
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
    const user = await tx.user.findUniqueOrThrow({ where: { id: added.userId }, select: { email: true, emailVerifiedAt: true } });
    const claim = user.emailVerifiedAt === null;
    // In this order, so nothing from before the recovery outlives it. A claim's passkeys first: the
    // DELETE waits for a squatter's ceremony still finishing, whose code the next statement then
    // sees. Then every unspent code (this passkey's own is issued after this hook), then the
    // sessions: codes before sessions, so a racing redemption cannot slip between (spendCodes).
    const removed = claim ? await tx.passkey.deleteMany({ where: { userId: added.userId, id: { not: added.passkeyId } } }) : null;
    await spendCodes(tx, { userId: added.userId });
    const { count } = await tx.session.updateMany({ where: { userId: added.userId, revokedAt: null }, data: { revokedAt: now } });
    if (removed) {
      // Conditional, like every state change here: only the claim that finds the email unconfirmed confirms it.
      await tx.user.updateMany({ where: { id: added.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
      await recordSecurityEvent(tx, { userId: added.userId, type: "email_claimed", details: { removedPasskeys: removed.count, endedSessions: count } });
    }
    await recordSecurityEvent(tx, { userId: added.userId, type: "recovered", details: { passkeyId: added.passkeyId, name: added.name, count } });
    to = user.email;
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
  const proof = await readEmailCodeProof(ctx.db, body, session.userId);
  await redeemEmailCode(ctx, proof, "verify_email", browserBinding, async (tx, row) => {
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
