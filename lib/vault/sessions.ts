import type { Db } from "../db";
import type { Session, VaultContext } from "./context";
import { VaultError } from "./errors";
import { newId } from "./random";
import { verifySessionToken } from "./tokens";
import type { CodeRow } from "./codes";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const sessionEnded = () =>
  new VaultError("Unauthenticated", "Your session has ended. Please sign in again.");

export async function createSession(tx: Tx, code: CodeRow, ttlSeconds: number): Promise<Session> {
  const row = await tx.session.create({
    data: {
      id: newId(),
      userId: code.userId,
      passkeyId: code.passkeyId,
      userVerified: code.userVerified,
      authTime: code.authTime,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    },
  });
  return toSession(row);
}

/** Throws unless the session row exists, is not revoked and has not expired. */
export async function assertSessionLive(db: Db, sessionId: string): Promise<Session> {
  const row = await db.session.findUnique({ where: { id: sessionId } });
  if (!row || row.revokedAt || row.expiresAt <= new Date()) throw sessionEnded();
  return toSession(row);
}

/**
 * The data layer's check: a valid JWT AND a live row. A signed token alone is not enough, because
 * sign-out must end a session at once, not when its JWT expires.
 */
export async function authenticateSession(ctx: VaultContext, token: string): Promise<Session> {
  const claims = await verifySessionToken(ctx.keys, ctx.config, token);
  const session = await assertSessionLive(ctx.db, claims.sid);
  if (session.userId !== claims.sub) throw sessionEnded();
  return session;
}

/** How recent a user-verified ceremony must be before a sensitive operation (DESIGN.md: 5 minutes). */
export const RECENT_VERIFICATION_SECONDS = 300;

/**
 * For sensitive operations (adding a passkey, later deleting one or changing the email): a stolen
 * session cookie alone must not be enough to plant an attacker's passkey. Requires the session's
 * last ceremony to have verified the user (uv) within RECENT_VERIFICATION_SECONDS.
 */
export function assertRecentlyVerified(session: Session, now = new Date()): void {
  const age = (now.getTime() - session.authTime.getTime()) / 1000;
  if (!session.userVerified || age > RECENT_VERIFICATION_SECONDS) {
    throw new VaultError("ReauthenticationRequired", "Confirm it's you with your passkey to continue.");
  }
}

/** Sign-out. Idempotent: revoking a revoked session changes nothing. */
export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

function toSession(row: {
  id: string;
  userId: string;
  passkeyId: string | null;
  userVerified: boolean;
  authTime: Date;
  expiresAt: Date;
}): Session {
  return {
    userId: row.userId,
    sessionId: row.id,
    passkeyId: row.passkeyId,
    userVerified: row.userVerified,
    authTime: row.authTime,
    expiresAt: row.expiresAt,
  };
}
