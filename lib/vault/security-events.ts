import type { Db, Tx } from "../db-client";
import type { Session } from "./context";
import { badRequest } from "./errors";
import { newId } from "./random";

/**
 * The account's activity log: what happened to it, for its owner to review ("was that me?") and
 * for whoever investigates an incident. Each event is written in the same transaction as the change
 * it records, so a change that rolls back (or is refused) leaves no event, and an event never
 * claims a change that did not happen.
 *
 * Events never hold secrets: no codes, tokens, challenges, keys or session JWTs. Refusal reasons
 * are kept for the server side only (listSecurityEvents leaves them out) and library messages are
 * redacted before they are stored, since they quote the values they compared.
 */

export const SECURITY_EVENT_TYPES = [
  /**
   * A sign-in: a passkey's sign-in code was exchanged for a session (after a login or a
   * registration), or an emailed sign-in code was (details.method "email_code"); or a sign-in code
   * was redeemed by a relying backend (details.apiKeyId, server-side only) or by another session
   * system in this app (details.service, e.g. "next-auth"), which run their own sessions.
   */
  "signed_in",
  /** A WebAuthn response was refused (details.reason, server-side only). */
  "verification_failed",
  "passkey_added",
  "passkey_removed",
  "passkey_renamed",
  /** A correctly signed response whose counter did not move forward: a possible cloned authenticator. */
  "counter_regression",
  /** A known credential's backup-eligible (BE) flag differs from its registration: it cannot legitimately change. */
  "backup_eligibility_changed",
  /** A step-up (re-authentication) code was redeemed: "confirmed it's you". */
  "step_up",
  /** The session signed itself out. */
  "signed_out",
  /** Another session (details.sessionId) or every other session (details.count) was signed out. */
  "signed_out_other",
  "email_changed",
  "display_name_changed",
  /** Requests for this account went over its rate limit (details.rule); recorded once per window. */
  "rate_limited",
  /** The account's email was confirmed with an emailed code. */
  "email_verified",
  /** An emailed recovery code was redeemed: a short recovery session that can add one passkey. */
  "recovery_started",
  /** Recovery finished: a passkey was added (details.passkeyId) and every other session ended (details.count). */
  "recovered",
  /**
   * Recovery of an account whose email was never confirmed: whoever proved the address took it
   * over; the passkeys already on it were removed (details.removedPasskeys) and the email confirmed.
   */
  "email_claimed",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Plain facts only: ids, names, counts, flags. Never a secret. */
export type SecurityEventDetails = Record<string, string | number | boolean | null>;

export interface SecurityEventInput {
  userId: string | null;
  type: SecurityEventType;
  details?: SecurityEventDetails;
  userAgent?: string | null;
}

/** An event as its owner sees it: what, when, from which browser, and the facts safe to show. */
export interface SecurityEventSummary {
  id: string;
  type: SecurityEventType;
  createdAt: Date;
  /** The browser's User-Agent, where the event started a session. */
  userAgent: string | null;
  details: SecurityEventDetails;
}

/** Events older than this are deleted by the housekeeping purge (lib/vault/housekeeping.ts). */
export const SECURITY_EVENT_RETENTION_DAYS = 90;
/** Enough to read; an event row is small but a details object has no business being large. */
const MAX_DETAILS_LENGTH = 1_000;
const MAX_USER_AGENT_LENGTH = 512;
const MAX_REASON_LENGTH = 200;
/** Details the owner may see. Anything else (a refusal reason, a counter value) stays server-side. */
const PUBLIC_DETAILS = new Set(["passkeyId", "name", "sessionId", "count", "method", "ceremony", "newAccount", "service"]);

/** Writes one event, with `tx` when the change it records is in a transaction (it should be). */
export async function recordSecurityEvent(tx: Tx | Db, event: SecurityEventInput): Promise<void> {
  const details = JSON.stringify(event.details ?? {});
  // A bug, not an input: every caller passes a few short facts.
  if (details.length > MAX_DETAILS_LENGTH) throw new Error(`security event details too large (${event.type})`);
  await tx.securityEvent.create({
    data: {
      id: newId(),
      userId: event.userId,
      type: event.type,
      details,
      userAgent: event.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || null,
    },
  });
}

/**
 * For refusals, where nothing else is written: a failure to record is logged, not thrown, so the
 * caller still gets its refusal (a 401), not a 503, and the refusal itself never depends on it.
 */
export async function recordSecurityEventBestEffort(db: Db, event: SecurityEventInput): Promise<void> {
  try {
    await recordSecurityEvent(db, event);
  } catch (error) {
    console.error(`Could not record security event ${event.type}`, error);
  }
}

/**
 * Why a verification failed, fit to store: the library's (or our) message with every quoted value
 * and every long base64url run removed. SimpleWebAuthn quotes what it compared, e.g. the expected
 * challenge, and such values have no place in a log that outlives them.
 */
export function refusalReason(error: unknown): string {
  const message = error instanceof Error ? error.message : "not verified";
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/[A-Za-z0-9_-]{16,}/g, "…")
    .slice(0, MAX_REASON_LENGTH);
}

const MAX_LIST_LIMIT = 100;

function listLimit(options: unknown): number {
  if (options === undefined) return 20;
  const limit = typeof options === "object" && options !== null ? (options as { limit?: unknown }).limit : undefined;
  if (limit === undefined) return 20;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw badRequest(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`, "limit");
  }
  return limit;
}

/** The session's user's events, newest first; only details safe to show. */
export async function listSecurityEvents(
  db: Db,
  session: Session,
  options?: { limit?: number },
): Promise<SecurityEventSummary[]> {
  const rows = await db.securityEvent.findMany({
    where: { userId: session.userId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: listLimit(options),
  });
  return rows.map((row) => ({
    id: row.id,
    type: row.type as SecurityEventType,
    createdAt: row.createdAt,
    userAgent: row.userAgent,
    details: Object.fromEntries(
      Object.entries(JSON.parse(row.details) as SecurityEventDetails).filter(([key]) => PUBLIC_DETAILS.has(key)),
    ),
  }));
}

