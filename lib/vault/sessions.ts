import type { Db, Tx } from "../db-client";
import { consumeCode, spendCodes, type CodePurpose, type CodeRow } from "./codes";
import type { Session, SessionMethod, VaultContext } from "./context";
import { VaultError } from "./errors";
import * as input from "./input";
import { newId } from "./random";
import { recordSecurityEvent } from "./security-events";
import { verifySessionToken } from "./tokens";

/** The browser redeeming a code. */
export interface SessionContext {
  /** Its User-Agent: only used to name the session in the sessions list. */
  userAgent?: string | null;
  /** Its ceremony cookie: a code from a ceremony another browser started is refused. */
  browserBinding?: string;
}

/** Long enough for any real User-Agent; the rest is not worth storing. */
const MAX_USER_AGENT_LENGTH = 512;
/** lastSeenAt is written at most this often per session: a write on every request would cost more than it tells. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

const sessionEnded = () =>
  new VaultError("Unauthenticated", "Your session has ended. Please sign in again.");

type SessionRow = NonNullable<Awaited<ReturnType<Db["session"]["findUnique"]>>>;

/**
 * Sign-in and step-up for this app's own browsers: redeems a code (consumeCode, bound to the
 * browser's ceremony cookie) and creates the session it grants, in one transaction: either both
 * happen or neither does, so a failed write leaves the code unspent and no half-made session. The
 * "signed_in" (or "step_up") event is part of it. (A relying backend only redeems: principal.ts.)
 */
export async function createSessionFromCode(
  ctx: VaultContext,
  code: string,
  purpose: CodePurpose,
  context: SessionContext,
  beforeCreate?: (tx: Tx, code: CodeRow) => Promise<void>,
): Promise<Session> {
  return ctx.db.$transaction(async (tx) => {
    const row = await consumeCode(tx, code, purpose, { browserBinding: context.browserBinding });
    await beforeCreate?.(tx, row);
    return createSession(
      ctx,
      tx,
      {
        userId: row.userId,
        method: "passkey",
        passkeyId: row.passkeyId,
        userVerified: row.userVerified,
        authTime: row.authTime,
        event: row.ceremony === "reauthentication" ? "step_up" : "signed_in",
        ceremony: row.ceremony,
      },
      context,
    );
  });
}

/** What a session is created from: who, how, and which event records it. */
export interface SessionGrant {
  userId: string;
  method: SessionMethod;
  passkeyId: string | null;
  userVerified: boolean;
  authTime: Date;
  event: "signed_in" | "step_up";
  /** The ceremony (or "email_code") named in the event, for the account's activity list. */
  ceremony: string;
}

/** A session and its "signed_in" or "step_up" event, inside the caller's transaction. */
export async function createSession(ctx: VaultContext, tx: Tx, grant: SessionGrant, context: SessionContext): Promise<Session> {
  const userAgent = context.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || null;
  const session = await tx.session.create({
    data: {
      id: newId(),
      userId: grant.userId,
      method: grant.method,
      passkeyId: grant.passkeyId,
      userVerified: grant.userVerified,
      authTime: grant.authTime,
      userAgent,
      expiresAt: new Date(Date.now() + ctx.config.sessionTtlSeconds * 1000),
    },
  });
  await recordSecurityEvent(tx, {
    userId: grant.userId,
    type: grant.event,
    details: { sessionId: session.id, passkeyId: grant.passkeyId, method: grant.ceremony, userVerified: grant.userVerified },
    userAgent,
  });
  return toSession(session);
}

/**
 * Step-up: trades a re-authentication code for a new session that replaces `current`. Only a code
 * from a step-up that `current` itself started redeems here (a plain sign-in code, another
 * session's or another user's code is InvalidCode and stays unspent). The old session is revoked
 * in the same transaction, and only if it is still live, so a session signed out meanwhile cannot
 * be upgraded.
 */
export function reauthenticate(ctx: VaultContext, code: string, current: Session, context: SessionContext) {
  const purpose: CodePurpose = {
    ceremonies: ["reauthentication"],
    sessionId: current.sessionId,
    userId: current.userId,
  };
  return createSessionFromCode(ctx, code, purpose, context, async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id: current.sessionId, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { revokedAt: new Date() },
    });
    if (count !== 1) throw sessionEnded();
  });
}

/** Throws unless the session row exists, is not revoked and has not expired. */
export async function assertSessionLive(db: Db, sessionId: string): Promise<Session> {
  const row = await db.session.findUnique({ where: { id: sessionId } });
  if (!row || row.revokedAt || row.expiresAt <= new Date()) throw sessionEnded();
  return toSession(row);
}

/**
 * The data layer's check: a valid JWT AND a live row. A signed token alone is not enough, because
 * sign-out must end a session at once, not when its JWT expires. A session left unused for longer
 * than the idle timeout has ended too (a laptop left signed in at a library): its row is revoked.
 */
export async function authenticateSession(ctx: VaultContext, token: string): Promise<Session> {
  const claims = await verifySessionToken(ctx.keys, ctx.config, token);
  const row = await ctx.db.session.findUnique({ where: { id: claims.sid } });
  if (!row || row.revokedAt || row.expiresAt <= new Date() || row.userId !== claims.sub) throw sessionEnded();
  // A recovery session's JWT has another typ and fails above; this refuses its row too, whatever token names it.
  if (row.kind !== null) throw sessionEnded();
  const idleMs = Date.now() - row.lastSeenAt.getTime();
  if (idleMs > ctx.config.sessionIdleTimeoutSeconds * 1000) {
    // Ended by time, not by the person: no "signed out" event.
    await ctx.db.session.updateMany({ where: { id: row.id, revokedAt: null }, data: { revokedAt: new Date() } });
    throw sessionEnded();
  }
  if (idleMs > LAST_SEEN_RESOLUTION_MS) {
    await ctx.db.session.updateMany({ where: { id: row.id }, data: { lastSeenAt: new Date() } });
  }
  return toSession(row);
}

/** How recent a user-verified ceremony must be before a sensitive operation (default 5 minutes). */
export const RECENT_VERIFICATION_SECONDS = 300;

/**
 * For sensitive operations (adding or deleting a passkey, changing the email, signing out other
 * sessions, deleting the account): a stolen session cookie alone must not be enough. Requires the
 * session's last ceremony to have verified the user (uv) within `windowSeconds`. An email-code
 * session is never user-verified, so it never passes: its step-up is a passkey ceremony.
 */
export function assertRecentlyVerified(
  session: Session,
  windowSeconds = RECENT_VERIFICATION_SECONDS,
  now = new Date(),
): void {
  const age = (now.getTime() - session.authTime.getTime()) / 1000;
  if (!session.userVerified || age > windowSeconds) {
    throw new VaultError("ReauthenticationRequired", "Confirm it's you with your passkey to continue.");
  }
}

/**
 * Sign-out. Idempotent: revoking a revoked session changes nothing, and records nothing (the app
 * also calls this for a session a step-up has just replaced).
 */
export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // One UPDATE … RETURNING: the owner comes back only when this call is the one that revoked it.
    const [revoked] = await tx.session.updateManyAndReturn({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { userId: true },
    });
    if (!revoked) return;
    await recordSecurityEvent(tx, { userId: revoked.userId, type: "signed_out", details: { sessionId } });
  });
}

/** A session as the account page lists it. */
export interface SessionSummary {
  id: string;
  /** True for the session making the request. */
  current: boolean;
  userAgent: string | null;
  method: SessionMethod;
  passkeyId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The live sessions of `session`'s user, the current one first, then the most recently active. */
export async function listSessions(db: Db, session: Session): Promise<SessionSummary[]> {
  const rows = await db.session.findMany({
    where: { userId: session.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
  });
  return rows
    .map((row) => ({
      id: row.id,
      current: row.id === session.sessionId,
      userAgent: row.userAgent,
      method: sessionMethod(row.method),
      passkeyId: row.passkeyId,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Signs out one other session of the same user. Scoped in the query: an id of another user's
 * session (or an unknown one) matches no row and is NotFound, which also says nothing about
 * whether it exists. The current session signs out with revokeSession instead.
 */
export async function revokeOtherSession(ctx: VaultContext, session: Session, sessionId: unknown): Promise<void> {
  assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
  const id = input.id(sessionId, "sessionId");
  if (id === session.sessionId) {
    throw new VaultError("BadRequest", "Use Sign out to end this session.", { details: { field: "sessionId" } });
  }
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id, userId: session.userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new VaultError("NotFound", "That session has already ended.");
    await recordSecurityEvent(tx, { userId: session.userId, type: "signed_out_other", details: { sessionId: id } });
  });
}

/**
 * Signs out every session of the user but this one, and spends the user's unspent codes: a code
 * held back would otherwise sign a browser in again right after. Returns how many sessions were ended.
 */
export async function revokeOtherSessions(ctx: VaultContext, session: Session): Promise<number> {
  assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
  return ctx.db.$transaction(async (tx) => {
    // Before the sessions, so a racing redemption cannot slip between the two (spendCodes says why).
    await spendCodes(tx, { userId: session.userId });
    const { count } = await tx.session.updateMany({
      where: { userId: session.userId, id: { not: session.sessionId }, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    // Nothing ended, nothing to tell.
    if (count > 0) await recordSecurityEvent(tx, { userId: session.userId, type: "signed_out_other", details: { count } });
    return count;
  });
}

/** The column is a string; anything but "email_code" was a passkey (the column's default). */
const sessionMethod = (value: string): SessionMethod => (value === "email_code" ? "email_code" : "passkey");

function toSession(row: SessionRow): Session {
  return {
    userId: row.userId,
    sessionId: row.id,
    method: sessionMethod(row.method),
    passkeyId: row.passkeyId,
    userVerified: row.userVerified,
    authTime: row.authTime,
    expiresAt: row.expiresAt,
  };
}
