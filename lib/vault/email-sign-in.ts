import type { Session, VaultContext } from "./context";
import { invalidCode, issueEmailCode, readEmailCodeProof, redeemEmailCode, type EmailCodeDelivery } from "./email-codes";
import * as input from "./input";
import { createSession, type SessionContext } from "./sessions";

/**
 * Sign-in with an emailed code: the fallback for browsers without WebAuthn, so no one is left at a
 * dead end. It grants an ordinary session, marked as what it is: `method` "email_code", never
 * user-verified (`uv` false, `amr` ["otp"] in its JWT). Step-up needs a recent user-verified
 * ceremony, so this session can read the account but never make a sensitive change (adding or
 * deleting a passkey, changing the email, signing out other sessions, deleting the account); that
 * takes a passkey.
 *
 * Only a confirmed email signs in this way. An unconfirmed one proves nothing about who holds the
 * account (anyone can sign up with someone else's address): its owner claims it through recovery,
 * which removes the passkeys already on it (recovery.ts).
 */

/**
 * `{ email }` → what to mail, or null for an unknown or unconfirmed email, or one that has had its
 * share of codes: the caller answers the same in every case and mails nothing.
 */
export async function requestEmailSignIn(ctx: VaultContext, body: unknown, browserBinding: string): Promise<EmailCodeDelivery | null> {
  const fields = input.object(body, "body", ["email"]);
  const email = input.email(fields.email);
  const user = await ctx.db.user.findUnique({ where: { email }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (!user?.emailVerifiedAt) return null;
  return issueEmailCode(ctx, user, "sign_in", browserBinding);
}

/**
 * `{ email, code }` or `{ link }`, in the browser that asked → a session. The code is spent and the
 * session created (with its "signed_in" event) in one transaction. `@error/InvalidCode` for a wrong,
 * used, expired or exhausted code, another browser's, an unknown email, or an address that is no
 * longer the account's or no longer confirmed.
 */
export async function signInWithEmailCode(ctx: VaultContext, body: unknown, context: SessionContext): Promise<Session> {
  const proof = await readEmailCodeProof(ctx.db, body);
  return redeemEmailCode(ctx, proof, "sign_in", context.browserBinding, async (tx, row) => {
    const user = await tx.user.findUnique({ where: { id: row.userId }, select: { email: true, emailVerifiedAt: true } });
    if (!user?.emailVerifiedAt || user.email !== row.email) throw invalidCode();
    return createSession(
      ctx,
      tx,
      {
        userId: row.userId,
        method: "email_code",
        passkeyId: null,
        userVerified: false,
        authTime: new Date(),
        event: "signed_in",
        ceremony: "email_code",
      },
      context,
    );
  });
}
