import type { Db, Tx } from "../db-client";
import type { Ceremony } from "./challenges";
import { VaultError } from "./errors";
import { hashToken, newId, randomToken } from "./random";

export type CodeRow = NonNullable<Awaited<ReturnType<Db["code"]["findUnique"]>>>;

export interface CodeGrant {
  ceremony: Ceremony;
  userId: string;
  /** Re-authentication only: the one session this code may upgrade. */
  sessionId?: string;
  /** From the challenge: the browser this code may sign in (see consumeCode). */
  browserBindingHash?: string;
  passkeyId: string;
  userVerified: boolean;
  authTime: Date;
}

/** Issues the single-use code a verified ceremony hands to the browser. Only its hash is stored. */
export async function issueCode(tx: Tx | Db, grant: CodeGrant, ttlSeconds: number): Promise<string> {
  const code = randomToken();
  await tx.code.create({
    data: {
      id: newId(),
      codeHash: hashToken(code),
      ...grant,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    },
  });
  return code;
}

/** Which codes a caller may redeem: a sign-in takes sign-in codes, a step-up only its own session's. */
export type CodePurpose =
  | { ceremonies: readonly ["registration", "authentication"] }
  | { ceremonies: readonly ["reauthentication"]; sessionId: string; userId: string };

export const SIGN_IN_CODES: CodePurpose = { ceremonies: ["registration", "authentication"] };

/**
 * Who redeems a code, and so which browser binding applies:
 *
 * - `{ browserBinding }`: a browser, through the app's own sign-in (exchangeCode). It must hold the
 *   ceremony cookie of the browser that ran the ceremony: a code copied, logged or phished into
 *   another browser signs nobody in. Without a cookie, only unbound codes (from a ceremony started
 *   by a caller with no browser cookie) redeem.
 * - `{ relyingBackend }`: a backend that authenticated with an API key (the principal API), redeeming
 *   on behalf of the browser that ran the ceremony on its site. It cannot present that browser's
 *   ceremony cookie (httpOnly, SameSite=Strict, on this origin), so the binding is not checked; the
 *   API key takes its place: only a backend the operator registered can redeem this way, and the
 *   redemption is recorded with the key's id. The code is still single-use, unexpired, and a
 *   sign-in code (never a step-up code). Nothing else skips the binding.
 * - `{ service }`: another session system in this app's own process (next-auth's Credentials
 *   provider, lib/integrations/next-auth.ts), redeeming in the request of the browser that ran
 *   the ceremony. That request carries the ceremony cookie, so the binding is checked, strictly:
 *   the code must be bound to exactly this browser, and an unbound code is refused too (every
 *   ceremony the app's authorize routes start is bound, so an unbound code never came from a
 *   browser, and a service has no use for it).
 */
export type Redeemer =
  | { browserBinding?: string }
  | { relyingBackend: { apiKeyId: string } }
  | { service: { name: string; browserBinding: string } };

const invalidCode = () => new VaultError("InvalidCode", "This code has expired or was already used. Please try again.");

/**
 * Consumes a code exactly once, with the same conditional-update rule as challenges. A code for
 * another purpose (a step-up code at sign-in, a sign-in code or another session's code at step-up),
 * or bound to another browser than the redeemer's (see Redeemer), matches no row: it is refused
 * like an unknown one and stays unspent.
 *
 * A code whose passkey is no longer the user's (deleted, or removed by a claim) is refused the same
 * way: it must not sign anyone in once the passkey that earned it is gone. (spendCodes ends such
 * codes when the passkey goes; this holds even where a code escaped it.) Only inside the caller's
 * transaction: the refusal rolls back the spend and whatever the caller wrote before it, so
 * nothing is written.
 */
export async function consumeCode(tx: Tx, code: string, purpose: CodePurpose, redeemer: Redeemer): Promise<CodeRow> {
  const codeHash = hashToken(code);
  const now = new Date();
  // One statement, UPDATE … RETURNING: the row comes back only to the caller whose update spent it.
  const [row] = await tx.code.updateManyAndReturn({
    where: {
      codeHash,
      ceremony: { in: [...purpose.ceremonies] },
      ...("sessionId" in purpose ? { sessionId: purpose.sessionId, userId: purpose.userId } : {}),
      ...bindingCondition(redeemer),
      consumedAt: null,
      expiresAt: { gt: now },
    },
    data: { consumedAt: now },
  });
  if (!row) throw invalidCode();
  const passkey = await tx.passkey.count({ where: { id: row.passkeyId, userId: row.userId } });
  if (passkey === 0) throw invalidCode();
  return row;
}

/**
 * Spends the unspent codes of a user (or of one of their passkeys) when the access they would grant
 * ends: a passkey deleted, an account recovered or claimed, every other session signed out. A code
 * lives up to 120 s; without this, one held back would sign in again afterwards.
 *
 * Call it in the transaction that ends the access, BEFORE the statement that revokes sessions. On
 * PostgreSQL (READ COMMITTED) a redemption racing with it then loses either way: if its
 * consumeCode ran first, this UPDATE waits for that code's row lock, finds the code spent and
 * skips it, and the redemption's session is committed before the session-revoking statement takes
 * its snapshot, so that statement revokes it; if not, the redemption's UPDATE waits for this
 * transaction and finds its code spent (InvalidCode). In the other order, a redemption committing
 * between the two statements would keep the session it created.
 */
export async function spendCodes(tx: Tx, codes: { userId: string; passkeyId?: string }): Promise<number> {
  const { count } = await tx.code.updateMany({ where: { ...codes, consumedAt: null }, data: { consumedAt: new Date() } });
  return count;
}

/** Which codes' browser bindings this redeemer may redeem (see Redeemer). */
function bindingCondition(redeemer: Redeemer) {
  if ("relyingBackend" in redeemer) return {};
  if ("service" in redeemer) return { browserBindingHash: hashToken(redeemer.service.browserBinding) };
  return { OR: bindingMatches(redeemer.browserBinding) };
}

/** An unbound code, or one bound to this browser. */
function bindingMatches(browserBinding: string | undefined) {
  return [{ browserBindingHash: null }, ...(browserBinding ? [{ browserBindingHash: hashToken(browserBinding) }] : [])];
}
