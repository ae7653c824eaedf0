import { isUniqueViolation, type Db } from "../db-client";
import type { Session, VaultContext } from "./context";
import { VaultError, badRequest } from "./errors";
import * as input from "./input";
import { recordSecurityEvent } from "./security-events";
import { assertRecentlyVerified } from "./sessions";

/** The signed-in person's account, as the account page shows it. */
export interface Account {
  id: string;
  email: string;
  displayName: string;
  /** The WebAuthn user handle (base64url): what the Signal API calls `userId`. Not secret, not personal. */
  userHandle: string;
  /** Whether the owner has confirmed they read mail at `email`: recovery by email needs it. */
  emailVerified: boolean;
  createdAt: Date;
}

const ACCOUNT = { id: true, email: true, displayName: true, webauthnUserId: true, emailVerifiedAt: true, createdAt: true } as const;

type AccountRow = { id: string; email: string; displayName: string; webauthnUserId: string; emailVerifiedAt: Date | null; createdAt: Date };

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    userHandle: row.webauthnUserId,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt,
  };
}

const duplicateAccount = () =>
  new VaultError("DuplicateAccount", "Another account already uses this email.", { details: { field: "email" } });

export async function getAccount(db: Db, session: Session): Promise<Account> {
  return toAccount(await db.user.findUniqueOrThrow({ where: { id: session.userId }, select: ACCOUNT }));
}

/**
 * Changes the account's email; needs a recent user-verified ceremony (the email is how the
 * account is found). Normalised like sign-up; an email another account uses is DuplicateAccount,
 * the same answer sign-up gives.
 */
export async function changeEmail(ctx: VaultContext, session: Session, email: unknown): Promise<Account> {
  assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
  const newEmail = input.email(email);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: session.userId }, select: { email: true } });
      // A new address is unproven: recovery by email waits until it is verified again.
      const data = before.email === newEmail ? { email: newEmail } : { email: newEmail, emailVerifiedAt: null };
      const after = await tx.user.update({ where: { id: session.userId }, data, select: ACCOUNT });
      if (before.email !== after.email) {
        // A recovery started through the old address ends: that address no longer speaks for the account.
        await tx.session.updateMany({ where: { userId: session.userId, kind: "recovery", revokedAt: null }, data: { revokedAt: new Date() } });
        // Both addresses: if this was a takeover, the old one is how the owner proves the account was theirs.
        await recordSecurityEvent(tx, { userId: session.userId, type: "email_changed", details: { from: before.email, to: after.email } });
      }
      return toAccount(after);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateAccount();
    throw error;
  }
}

/** Changes the name shown in this app and, through the Signal API, in the person's passkey manager. */
export async function changeDisplayName(db: Db, session: Session, displayName: unknown): Promise<Account> {
  const name = input.displayName(displayName);
  return db.$transaction(async (tx) => {
    const account = await tx.user.update({ where: { id: session.userId }, data: { displayName: name }, select: ACCOUNT });
    await recordSecurityEvent(tx, { userId: session.userId, type: "display_name_changed", details: { name } });
    return toAccount(account);
  });
}

/**
 * Deletes the account, its passkeys and sessions (database cascade) and its pending codes and
 * challenges; needs a recent user-verified ceremony and `confirmation` equal to the account's
 * email, so a stray or forged call cannot do it. Returns what the browser needs to tell the
 * passkey manager that none of its passkeys for this account is accepted any more.
 */
export async function deleteAccount(
  ctx: VaultContext,
  session: Session,
  confirmation: unknown,
): Promise<{ userHandle: string }> {
  assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
  return ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: session.userId }, select: ACCOUNT });
    const typed = typeof confirmation === "string" ? confirmation.trim().toLowerCase() : "";
    if (typed !== user.email) throw badRequest("Type your email address to confirm.", "confirmation");
    await tx.code.deleteMany({ where: { userId: user.id } });
    // email_codes go with the user (cascade).
    await tx.challenge.deleteMany({ where: { userId: user.id } });
    await tx.user.delete({ where: { id: user.id } });
    return { userHandle: user.webauthnUserId };
  });
}
