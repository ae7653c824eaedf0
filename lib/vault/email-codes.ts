import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { Db, Tx } from "../db-client";
import { lockAccount } from "./account-lock";
import type { VaultContext } from "./context";
import { VaultError, badRequest } from "./errors";
import * as input from "./input";
import { hashToken, newId, randomToken } from "./random";

/**
 * One-time codes sent by email: six digits to type and a long link token, for one purpose.
 *
 * - Stored hashed. The link token carries 256 bits, so SHA-256 is enough. Six digits are only a
 *   million values: a plain hash is reversed by trying them all, so the digits are an HMAC under
 *   AUTH_SECRET (and the row id, so equal codes in two rows do not look equal).
 * - Single-use: redeemed by one conditional write (`consumedAt: null` in the WHERE), so of two
 *   parallel redemptions exactly one wins.
 * - Short-lived (EMAIL_CODE_TTL_SECONDS) and a few attempts each (EMAIL_CODE_MAX_ATTEMPTS): a try
 *   is counted by its own conditional increment, committed before the digits are compared, so
 *   parallel guesses cannot exceed the limit; the try that matches is given back when the code is
 *   spent, so `attempts` counts wrong tries only.
 * - A guess budget per account and purpose (EMAIL_CODE_FAILURES_PER_DAY): new codes do not bring
 *   new guesses. See the constant for the arithmetic, and for what a stranger who spends it can
 *   and cannot take from the owner (typing a code for a day; never the link or their passkeys).
 * - Issuing is capped per browser (so another browser's requests cannot use up the owner's) under a
 *   ceiling per account (what bounds the mail an owner can receive): see the constants.
 * - Bound to the browser that asked (its ceremony cookie, like passkey codes): a code or link
 *   read by someone else (a forwarded mail, a mail scanner, a shoulder) does nothing elsewhere.
 * - Unknown emails, and emails that may not have this purpose, get no row and no mail: the caller
 *   answers the same either way.
 */

export type EmailCodePurpose = "verify_email" | "recovery" | "sign_in";

export const EMAIL_CODE_TTL_SECONDS = 10 * 60;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;

/**
 * What makes a code redeemable, for the typed code and the link alike: its purpose, asked for by
 * this browser, unspent, unexpired, attempts left.
 */
const redeemable = (purpose: EmailCodePurpose, browserBinding: string, now: Date) => ({
  purpose,
  browserBindingHash: hashToken(browserBinding),
  consumedAt: null,
  expiresAt: { gt: now },
  attempts: { lt: EMAIL_CODE_MAX_ATTEMPTS },
});

/**
 * Codes per account, purpose and browser per TTL window: a person whose mail is late or lost can
 * ask again twice. Counted per browser (the ceremony cookie the code is bound to), so requests from
 * someone else's browser never use up the owner's share.
 */
export const EMAIL_CODES_PER_BROWSER = 3;

/**
 * Codes per account per hour for recovery and sign-in together, every browser: what bounds the
 * mail an owner can receive when strangers ask for them (a browser is just a cookie, so anyone can
 * be many). The per-email rate limit alone would let 5 a minute through (300 an hour); 10 an hour
 * is 240 a day at most, and room for the owner on three browsers at once (3 each). Confirmation
 * codes, which only the signed-in owner can ask for, are not counted: strangers cannot use them up.
 * More codes would not help a guesser anyway: guesses are budgeted per account (below).
 *
 * Residual risk: someone who keeps asking 10 times an hour can keep new codes from the account (and
 * mails the owner each time, so it is loud). The owner still has their passkeys, any code already
 * mailed to them (its link works in the browser that asked), and the next free slot.
 */
export const EMAIL_CODES_PER_ACCOUNT_PER_HOUR = 10;
const CEILING_WINDOW_SECONDS = 3600;
/** The purposes a stranger can ask a code for by typing an email: what the ceiling counts. */
const ASKED_BY_ANYONE: readonly EmailCodePurpose[] = ["recovery", "sign_in"];

/**
 * Wrong typed codes per account and purpose over a rolling day, whichever browsers and codes they
 * were typed for. Each wrong guess of six digits has a 1 in 1,000,000 chance, so 10 a day give a
 * guesser at most 0.001% a day per purpose (0.002% for recovery and sign-in together, the two
 * anyone can ask for), about 0.4% a year. Per code alone (5 tries, a new code every few minutes)
 * it was ~4,300 guesses a day: even odds within four months. Spent, typed codes for that account
 * and purpose are refused (InvalidCode, like a wrong one) while the link keeps working: 256 random
 * bits cannot be guessed. Tries are counted under the account's lock (lockAccount), so parallel
 * guesses cannot overshoot it either.
 *
 * The price, stated: anyone can ask codes for someone's email into their own browser and type them
 * wrong, so a stranger can spend the budget and keep the owner from TYPING a code for a day. The
 * owner keeps their passkeys and the link in the mail, which works in the browser that asked; an
 * owner who reads mail on one device and asks on another must open the mail where they asked.
 */
export const EMAIL_CODE_FAILURES_PER_DAY = 10;

/**
 * How long code rows are kept after they expire: the guess budget sums the wrong tries of the
 * codes issued in this window, so housekeeping must not delete them sooner (purgeEmailCodes).
 */
export const EMAIL_CODE_HISTORY_SECONDS = 24 * 3600;

const CODE_DIGITS = 6;

/** What the app mails. The vault sends nothing itself; this never leaves the server. */
export interface EmailCodeDelivery {
  to: string;
  purpose: EmailCodePurpose;
  /** The six digits to type. */
  code: string;
  /** The link token (the app builds the URL). */
  linkToken: string;
  expiresAt: Date;
}

export type EmailCodeRow = NonNullable<Awaited<ReturnType<Db["emailCode"]["findUnique"]>>>;

/**
 * The one answer for a code that does not redeem, whatever the reason, the account's guess budget
 * spent included: it tells a guesser nothing (a distinct answer for the budget would say that the
 * email has a confirmed account, which unknown and unconfirmed emails never reach). So it names
 * the way out that always works: the link.
 */
export const invalidCode = () =>
  new VaultError(
    "InvalidCode",
    "That code is wrong, has expired or was already used. If you typed it right, open the link in the email instead, in this browser, or ask for a new code.",
  );

const secondsAgo = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);

function codeHash(secret: string, id: string, code: string): string {
  return createHmac("sha256", secret).update(`email-code:${id}:${code}`).digest("base64url");
}

/**
 * Issues a code for `user` unless this browser has had its EMAIL_CODES_PER_BROWSER or the account
 * its EMAIL_CODES_PER_ACCOUNT_PER_HOUR (then null: no mail, same answer). Counted under the
 * account's lock, in the transaction that writes the code, so parallel requests cannot exceed
 * either. Older live codes of the same browser and purpose die: only the newest mail works there.
 * Other browsers' codes are left alone (asking must not cancel someone else's code).
 */
export async function issueEmailCode(
  ctx: VaultContext,
  user: { id: string; email: string },
  purpose: EmailCodePurpose,
  browserBinding: string,
): Promise<EmailCodeDelivery | null> {
  const now = new Date();
  const bindingHash = hashToken(browserBinding);
  return ctx.db.$transaction(async (tx) => {
    if (!(await lockAccount(tx, user.id))) return null;
    if (!(await mayIssue(tx, user.id, purpose, bindingHash, now))) return null;
    await tx.emailCode.updateMany({
      where: { userId: user.id, purpose, browserBindingHash: bindingHash, consumedAt: null },
      data: { consumedAt: now },
    });
    return createEmailCode(tx, ctx.config.secret, user, purpose, browserBinding);
  });
}

/** Both caps of issueEmailCode; call under the account's lock. */
async function mayIssue(tx: Tx, userId: string, purpose: EmailCodePurpose, bindingHash: string, now: Date): Promise<boolean> {
  const fromThisBrowser = await tx.emailCode.count({
    where: { userId, purpose, browserBindingHash: bindingHash, createdAt: { gt: secondsAgo(now, EMAIL_CODE_TTL_SECONDS) } },
  });
  if (fromThisBrowser >= EMAIL_CODES_PER_BROWSER) return false;
  // Only the signed-in owner can ask to confirm their email: strangers' requests must not use up
  // that, so the ceiling counts, and applies to, the purposes anyone can ask for with an email.
  if (!ASKED_BY_ANYONE.includes(purpose)) return true;
  const forAccount = await tx.emailCode.count({
    where: { userId, purpose: { in: [...ASKED_BY_ANYONE] }, createdAt: { gt: secondsAgo(now, CEILING_WINDOW_SECONDS) } },
  });
  return forAccount < EMAIL_CODES_PER_ACCOUNT_PER_HOUR;
}

/**
 * Wrong typed codes for this account and purpose in the last day: the wrong tries of the codes
 * issued since (a code lives 10 minutes, so its tries fall within minutes of its creation).
 */
async function failuresToday(tx: Tx, userId: string, purpose: EmailCodePurpose, now: Date): Promise<number> {
  const { _sum } = await tx.emailCode.aggregate({
    where: { userId, purpose, createdAt: { gt: secondsAgo(now, EMAIL_CODE_HISTORY_SECONDS) } },
    _sum: { attempts: true },
  });
  return _sum.attempts ?? 0;
}

/**
 * Writes a new code for `user`, bound to `browserBinding`, and answers what to mail. No limit and
 * nothing superseded: for issueEmailCode, and for sign-up, whose new account has had no code yet
 * (its first one is written in the registration's transaction).
 */
export async function createEmailCode(
  tx: Tx | Db,
  secret: string,
  user: { id: string; email: string },
  purpose: EmailCodePurpose,
  browserBinding: string,
): Promise<EmailCodeDelivery> {
  const id = newId();
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
  const linkToken = randomToken();
  const expiresAt = new Date(Date.now() + EMAIL_CODE_TTL_SECONDS * 1000);
  await tx.emailCode.create({
    data: {
      id,
      userId: user.id,
      purpose,
      email: user.email,
      codeHash: codeHash(secret, id, code),
      linkTokenHash: hashToken(linkToken),
      browserBindingHash: hashToken(browserBinding),
      expiresAt,
    },
  });
  return { to: user.email, purpose, code, linkToken, expiresAt };
}

/** The six digits, as typed: spaces and dashes allowed ("123 456"). */
function parseCode(value: unknown): string {
  const code = typeof value === "string" ? value.replace(/[\s-]/g, "") : "";
  if (!new RegExp(`^\\d{${CODE_DIGITS}}$`).test(code)) throw badRequest(`Enter the ${CODE_DIGITS}-digit code from the email.`, "code");
  return code;
}

/**
 * Checks a typed code for `userId` and `purpose` from this browser, spending one attempt whatever
 * the outcome. Returns the row when it matches; the caller consumes it (consumeEmailCode) in the
 * transaction that acts on it, which gives the attempt back. Unknown user, no live code, no
 * attempts left, wrong code, the account's guess budget spent: one answer.
 */
async function checkEmailCode(
  ctx: VaultContext,
  userId: string | undefined,
  purpose: EmailCodePurpose,
  code: string,
  browserBinding: string | undefined,
): Promise<EmailCodeRow> {
  if (!userId || !browserBinding) throw invalidCode();
  const row = await countAttempt(ctx.db, userId, purpose, browserBinding);
  const expected = Buffer.from(row.codeHash);
  const actual = Buffer.from(codeHash(ctx.config.secret, row.id, code));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalidCode();
  return row;
}

/**
 * Counts one attempt at the newest live code of this browser, and answers that code. Committed
 * before the digits are compared (a wrong code stays counted whatever happens next), under the
 * account's lock: the budget read here includes every try committed before, so parallel guesses
 * cannot overshoot it.
 */
async function countAttempt(db: Db, userId: string, purpose: EmailCodePurpose, browserBinding: string): Promise<EmailCodeRow> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    if (!(await lockAccount(tx, userId))) throw invalidCode();
    if ((await failuresToday(tx, userId, purpose, now)) >= EMAIL_CODE_FAILURES_PER_DAY) throw invalidCode();
    const row = await tx.emailCode.findFirst({
      where: { userId, ...redeemable(purpose, browserBinding, now) },
      orderBy: { createdAt: "desc" },
    });
    if (!row) throw invalidCode();
    const { count } = await tx.emailCode.updateMany({
      where: { id: row.id, consumedAt: null, attempts: { lt: EMAIL_CODE_MAX_ATTEMPTS } },
      data: { attempts: { increment: 1 } },
    });
    if (count !== 1) throw invalidCode();
    return row;
  });
}

/**
 * The single conditional write that spends a checked code: exactly one caller gets true. It gives
 * back the attempt that matched, so `attempts` (and the guess budget) counts wrong tries only; a
 * right code that fails later (a parallel redemption won, the act refused) stays counted, which
 * errs on the safe side.
 */
async function consumeEmailCode(tx: Tx | Db, row: EmailCodeRow): Promise<void> {
  const now = new Date();
  const { count } = await tx.emailCode.updateMany({
    where: { id: row.id, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now, attempts: { decrement: 1 } },
  });
  if (count !== 1) throw invalidCode();
}

/**
 * Spends a link token for `purpose` from this browser, in one conditional write. A link opened in
 * another browser matches no row and stays unspent (the person can still open it where they asked).
 */
async function consumeEmailLink(
  tx: Tx | Db,
  linkToken: string,
  purpose: EmailCodePurpose,
  browserBinding: string | undefined,
): Promise<EmailCodeRow> {
  if (!browserBinding) throw invalidCode();
  const linkTokenHash = hashToken(linkToken);
  const now = new Date();
  // One statement, UPDATE … RETURNING, as for passkey codes (codes.ts): the row comes back only to
  // the caller whose update spent it.
  const [row] = await tx.emailCode.updateManyAndReturn({
    where: { linkTokenHash, ...redeemable(purpose, browserBinding, now) },
    data: { consumedAt: now },
  });
  if (!row) throw invalidCode();
  return row;
}

/** Locks the account a link was mailed to, if the link exists (consumeEmailLink refuses it otherwise). */
async function lockLinkOwner(tx: Tx, linkToken: string): Promise<void> {
  const row = await tx.emailCode.findUnique({ where: { linkTokenHash: hashToken(linkToken) }, select: { userId: true } });
  if (row) await lockAccount(tx, row.userId);
}

/** What proves an email code: the six digits typed for an account, or the emailed link's token. */
export type EmailCodeProof = { userId: string | undefined; code: string } | { link: string };

/**
 * Reads a proof from a request body: `{ code }` or `{ link }` when the account is already known
 * (`forUser`: the signed-in account), `{ email, code }` or `{ link }` otherwise. An unknown email
 * reads as no account, and is refused later exactly like a wrong code.
 */
export async function readEmailCodeProof(db: Db, body: unknown, forUser?: string): Promise<EmailCodeProof> {
  const fields = input.object(body, "body", forUser === undefined ? ["email", "code", "link"] : ["code", "link"]);
  if (fields.link !== undefined) return { link: input.secretToken(fields.link, "token") };
  if (forUser !== undefined) return { userId: forUser, code: parseCode(fields.code) };
  const email = input.email(fields.email);
  const code = parseCode(fields.code);
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  return { userId: user?.id, code };
}

/**
 * Redeems a proof for `purpose` in this browser and runs `act` with the code's row in the same
 * transaction that spends it: either both happen or neither (a failed `act` leaves the code
 * unspent). A typed code is checked first, spending an attempt that stays spent whatever follows.
 */
export async function redeemEmailCode<T>(
  ctx: VaultContext,
  proof: EmailCodeProof,
  purpose: EmailCodePurpose,
  browserBinding: string | undefined,
  act: (tx: Tx, row: EmailCodeRow) => Promise<T>,
): Promise<T> {
  // Each transaction locks the account before the code row, as issuing and counting a try do:
  // in the opposite order (code row, then the user row `act` updates) two of them deadlock on
  // PostgreSQL, e.g. a confirmation redeemed while "Send a new code" is pressed.
  if ("link" in proof) {
    return ctx.db.$transaction(async (tx) => {
      await lockLinkOwner(tx, proof.link);
      return act(tx, await consumeEmailLink(tx, proof.link, purpose, browserBinding));
    });
  }
  const checked = await checkEmailCode(ctx, proof.userId, purpose, proof.code, browserBinding);
  return ctx.db.$transaction(async (tx) => {
    await lockAccount(tx, checked.userId);
    await consumeEmailCode(tx, checked);
    return act(tx, checked);
  });
}

/**
 * Deletes codes EMAIL_CODE_HISTORY_SECONDS after they expire (housekeeping), not at once: the guess
 * budget sums their wrong tries for a day. Expired rows redeem nothing meanwhile (every lookup
 * checks expiresAt). By expiresAt, which is indexed; that keeps each row 10 minutes longer than
 * the budget needs, never shorter.
 */
export async function purgeEmailCodes(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.emailCode.deleteMany({ where: { expiresAt: { lt: secondsAgo(now, EMAIL_CODE_HISTORY_SECONDS) } } });
  return count;
}
