import type { Db } from "../db-client";
import { lockAccount } from "./account-lock";
import { spendCodes } from "./codes";
import type { Session, VaultContext } from "./context";
import { VaultError } from "./errors";
import * as input from "./input";
import { recordSecurityEvent } from "./security-events";
import { assertRecentlyVerified } from "./sessions";

/**
 * Passkey management for the signed-in person. Every query names the session's user in its WHERE
 * clause, so an id from another account matches nothing: the answer is NotFound, as for an id
 * that never existed.
 */

/** A passkey as the account page shows it. No key material. */
export interface PasskeySummary {
  id: string;
  /** base64url credential id, for the WebAuthn Signal API. */
  credentialId: string;
  name: string;
  aaguid: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** "multiDevice" passkeys can sync between devices; "singleDevice" ones cannot. */
  deviceType: string;
  /** Whether the passkey is currently backed up (synced). */
  backedUp: boolean;
}

const SUMMARY = {
  id: true,
  credentialId: true,
  name: true,
  aaguid: true,
  createdAt: true,
  lastUsedAt: true,
  deviceType: true,
  backedUp: true,
} as const;

const notFound = () => new VaultError("NotFound", "That passkey is not on your account (it may have been deleted).");

export function listPasskeys(db: Db, session: Session): Promise<PasskeySummary[]> {
  return db.passkey.findMany({
    where: { userId: session.userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: SUMMARY,
  });
}

/** Renames one of the user's passkeys (NFC, trimmed, printable, at most 64 characters). */
export async function renamePasskey(
  db: Db,
  session: Session,
  passkeyId: unknown,
  name: unknown,
): Promise<PasskeySummary> {
  const id = input.id(passkeyId, "passkeyId");
  const newName = input.passkeyName(name);
  return db.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({ where: { id, userId: session.userId }, data: { name: newName } });
    if (count === 0) throw notFound();
    await recordSecurityEvent(tx, { userId: session.userId, type: "passkey_renamed", details: { passkeyId: id, name: newName } });
    return tx.passkey.findUniqueOrThrow({ where: { id }, select: SUMMARY });
  });
}

/**
 * Deletes one of the user's passkeys; needs a recent user-verified ceremony. The last passkey is
 * never deleted (the account would be locked out). Concurrent deletes for one account are
 * serialised by updating the user row first (it takes the row's lock), so two parallel deletes of
 * the last two passkeys leave exactly one.
 *
 * Sessions that were signed in with the deleted passkey are signed out (it may be the one that was
 * lost or stolen), except the session making the request: it has just proved the person is here.
 * Its unspent codes end too: a thief holding one cannot sign in with it after the delete.
 * Returns the remaining passkeys, for `signalAllAcceptedCredentials`.
 */
export async function deletePasskey(
  ctx: VaultContext,
  session: Session,
  passkeyId: unknown,
): Promise<PasskeySummary[]> {
  assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
  const id = input.id(passkeyId, "passkeyId");
  return ctx.db.$transaction(async (tx) => {
    await lockAccount(tx, session.userId);
    const owned = await tx.passkey.findMany({ where: { userId: session.userId }, select: { id: true, name: true } });
    const target = owned.find((passkey) => passkey.id === id);
    if (!target) throw notFound();
    if (owned.length === 1) {
      throw new VaultError("Forbidden", "This is your only passkey. Add another one before you delete it.", {
        code: "LAST_PASSKEY",
      });
    }
    // In this order, so nothing the passkey started outlives it. The DELETE first: it waits for a
    // ceremony of this passkey still finishing (its counter update holds the row), whose code the
    // next statement then sees. Its codes before its sessions (spendCodes says why).
    await tx.passkey.delete({ where: { id } });
    await spendCodes(tx, { userId: session.userId, passkeyId: id });
    const signedOut = await tx.session.updateMany({
      where: { userId: session.userId, passkeyId: id, id: { not: session.sessionId }, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordSecurityEvent(tx, {
      userId: session.userId,
      type: "passkey_removed",
      details: { passkeyId: id, name: target.name, count: signedOut.count },
    });
    return tx.passkey.findMany({
      where: { userId: session.userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: SUMMARY,
    });
  });
}
