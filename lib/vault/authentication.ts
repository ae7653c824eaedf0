import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { browserBindingHash, consumeChallenge, offeredCredentialIds, storeChallenge, type ChallengeRow } from "./challenges";
import { assertNotEmbedded } from "./client-data";
import { issueCode } from "./codes";
import { CEREMONY_TIMEOUT_MS, type Session, type VaultContext } from "./context";
import { decoyCredentials } from "./decoys";
import { VaultError, badRequest, isVaultError, verificationFailed } from "./errors";
import * as input from "./input";
import type { CeremonyStart } from "./registration";
import { recordSecurityEvent, recordSecurityEventBestEffort, refusalReason } from "./security-events";

/**
 * Starts a login. Without an email the browser may offer any passkey for this site (discoverable
 * login, also used for autofill). With an email, only that account's passkeys are allowed.
 *
 * With `{ reauthenticate: true }` and a live session it starts a step-up instead: only that
 * session's user's passkeys are allowed, user verification is required, and the challenge is bound
 * to the session and the user.
 */
export async function authorizeAuthentication(
  ctx: VaultContext,
  body: unknown,
  session?: Session,
  browserBinding?: string,
): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const fields = input.object(body, "body", ["email", "userVerification", "mediation", "reauthenticate"]);
  if (input.flag(fields.reauthenticate, "reauthenticate")) {
    const extra = ["email", "userVerification", "mediation"].find((field) => fields[field] !== undefined);
    if (extra) throw badRequest(`${extra} cannot be combined with reauthenticate`, extra);
    if (!session) throw new VaultError("Unauthenticated", "Sign in first.");
    return authorizeReauthentication(ctx, session, browserBinding);
  }

  const { db, config } = ctx;
  const email = fields.email === undefined ? undefined : input.email(fields.email);
  const userVerification =
    fields.userVerification === undefined ? "preferred" : input.userVerification(fields.userVerification);
  const mediation = fields.mediation === undefined ? undefined : input.mediation(fields.mediation);
  if (email && mediation === "conditional") {
    // Autofill lists every passkey for the site: it cannot be narrowed to one account.
    throw badRequest("mediation \"conditional\" cannot be combined with email", "mediation");
  }

  let userId: string | undefined;
  let allowCredentials: { id: string; transports?: string[] }[] = [];
  if (email) {
    // One query whether or not the account exists (the passkeys of the user with this email), so a
    // known and an unknown email cost the same database work and cannot be told apart by timing.
    const passkeys = await db.passkey.findMany({
      where: { user: { email } },
      select: { userId: true, credentialId: true, transports: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (passkeys.length > 0) {
      userId = passkeys[0]!.userId;
      allowCredentials = passkeys.map(toDescriptor);
    } else {
      allowCredentials = decoyCredentials(config.secret, email);
    }
  }

  const options = await generateAuthenticationOptions({
    rpID: config.rpId,
    allowCredentials,
    userVerification,
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await ctx.housekeeping.purgeExpiredNowAndThen();
  const token = await storeChallenge(db, "authentication", options.challenge, config.challengeTtlSeconds, {
    userVerification,
    userId,
    // Real or decoy, an email-first challenge is finished only by a credential it offered.
    allowCredentialIds: email ? allowCredentials.map((credential) => credential.id) : undefined,
    browserBindingHash: browserBindingHash(browserBinding),
  });
  return { token, options };
}

async function authorizeReauthentication(
  ctx: VaultContext,
  session: Session,
  browserBinding: string | undefined,
): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const { db, config } = ctx;
  const passkeys = await db.passkey.findMany({
    where: { userId: session.userId },
    select: { credentialId: true, transports: true },
  });
  // An empty list would let the browser offer any passkey for the site: never for a step-up.
  if (passkeys.length === 0) {
    throw new VaultError("Forbidden", "This account has no passkey to confirm it's you. Add a passkey first.");
  }
  const options = await generateAuthenticationOptions({
    rpID: config.rpId,
    allowCredentials: passkeys.map(toDescriptor),
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await ctx.housekeeping.purgeExpiredNowAndThen();
  const token = await storeChallenge(db, "reauthentication", options.challenge, config.challengeTtlSeconds, {
    userVerification: "required",
    userId: session.userId,
    sessionId: session.sessionId,
    browserBindingHash: browserBindingHash(browserBinding),
  });
  return { token, options };
}

const toDescriptor = (passkey: { credentialId: string; transports: string }) => ({
  id: passkey.credentialId,
  transports: JSON.parse(passkey.transports) as string[],
});

const orphanedPasskey = (credentialId: string, rpId: string) =>
  new VaultError(
    "OrphanedPasskey",
    "This passkey is no longer registered with this site. Remove it from your device and sign in another way.",
    { details: { credentialId, rpId } },
  );

/** Started with an email: its challenge remembers the credentials it offered, real or decoy. */
const isEmailFirst = (challenge: ChallengeRow) => challenge.allowCredentialIds !== null;

/**
 * An email-first login accepts only the credentials it offered, and says so before looking the
 * credential up: whether a credential exists here must not change the answer, or a decoy (which
 * offers credentials that exist nowhere) would be told apart from a real account.
 */
function assertOffered(challenge: ChallengeRow, credentialId: string): void {
  const offered = offeredCredentialIds(challenge);
  if (offered && !offered.includes(credentialId)) {
    throw verificationFailed(new Error("credential not offered by this email-first login"));
  }
}

/**
 * A step-up must be finished by the live session that started it: a token started in session A
 * cannot upgrade session B (or no session), even for the same user.
 */
function assertStartedBy(challenge: ChallengeRow, session: Session | undefined): void {
  if (!session || session.sessionId !== challenge.sessionId || session.userId !== challenge.userId) {
    throw new VaultError("Forbidden", "This confirmation was started in another session. Please try again.");
  }
}

/**
 * Finishes a login or a step-up. The token is consumed first, so each response is tried once. The
 * counter moves forward with a compare-and-set, so of two replays racing, one loses. A step-up
 * also needs the session that started it, a passkey of that session's user and the UV flag.
 *
 * Besides what SimpleWebAuthn verifies (challenge, origin, RP ID, signature, UP/UV), the app checks
 * what the library is not told: the ceremony did not run embedded in another site; the user handle
 * names the passkey's owner, and a discoverable login has one; the counter moved forward (checked
 * here, after the signature, so only a genuinely signed regression is recorded as one); the
 * backup-eligible flag is the one registered (a change is recorded, not refused). Every refusal of
 * a known credential is recorded as a security event of the account concerned.
 *
 * An email-first login answers every refusal with the same Verification error, whether the email
 * has an account or got decoys: it accepts only the credentials it offered, and never answers
 * OrphanedPasskey.
 */
export async function verifyAuthentication(
  ctx: VaultContext,
  body: unknown,
  session?: Session,
): Promise<{ code: string }> {
  const { db } = ctx;
  const fields = input.object(body, "body", ["token", "response"]);
  const token = input.secretToken(fields.token, "token");
  const response = input.authenticationResponse(fields.response);

  const challenge = await consumeChallenge(db, token, ["authentication", "reauthentication"]);
  if (challenge.ceremony === "reauthentication") assertStartedBy(challenge, session);
  assertOffered(challenge, response.id);
  const passkey = await db.passkey.findUnique({
    where: { credentialId: response.id },
    include: { user: { select: { webauthnUserId: true } } },
  });
  if (!passkey) {
    // An unknown credential is "orphaned"; the browser may then delete it (Signal API). Not on an
    // email-first login: the credentials it offered that do not exist are an unknown email's decoys
    // (or a passkey deleted since), and saying so would tell which emails have accounts.
    if (isEmailFirst(challenge)) throw verificationFailed(new Error("offered credential is not registered"));
    throw orphanedPasskey(response.id, ctx.config.rpId);
  }

  try {
    return await verifyKnownPasskey(ctx, challenge, response, passkey);
  } catch (error) {
    if (isVaultError(error) && error.kind === "Verification") {
      await recordSecurityEventBestEffort(db, {
        // The passkey's owner: it is their credential that was refused. (Not the account an
        // email-first or step-up ceremony named: that may be another person's, and the event
        // names the passkey.)
        userId: passkey.userId,
        type: error.cause instanceof CounterRegression ? "counter_regression" : "verification_failed",
        details: {
          ceremony: challenge.ceremony,
          passkeyId: passkey.id,
          name: passkey.name,
          reason: refusalReason(error.cause),
        },
      });
    }
    throw error;
  }
}

/** A correctly signed response whose counter did not move forward: a possible cloned authenticator. */
class CounterRegression extends Error {
  constructor(stored: number, received: number) {
    super(`signature counter did not move forward (${received} after ${stored})`);
  }
}

type KnownPasskey = NonNullable<Awaited<ReturnType<VaultContext["db"]["passkey"]["findUnique"]>>> & {
  user: { webauthnUserId: string };
};

async function verifyKnownPasskey(
  ctx: VaultContext,
  challenge: ChallengeRow,
  response: ReturnType<typeof input.authenticationResponse>,
  passkey: KnownPasskey,
): Promise<{ code: string }> {
  const { db, config } = ctx;
  const reauthentication = challenge.ceremony === "reauthentication";
  // Email-first and step-up logins name the account up front. An unknown email's decoy names one
  // too, with no user: then no passkey may finish it (not even one registered under a decoy's id).
  const namesAccount = challenge.userId !== null || isEmailFirst(challenge);
  if (namesAccount && challenge.userId !== passkey.userId) {
    throw verificationFailed(new Error("passkey belongs to another account than the one the ceremony is for"));
  }
  // A discoverable login names no account up front: the user handle is the authenticator's word for
  // which account it signed in to, so it must be there. Email-first and step-up logins already
  // named the account, and authenticators may leave it out for them (WebAuthn §7.2 step 6).
  const userHandle = response.response.userHandle;
  if (!namesAccount && !userHandle) throw verificationFailed(new Error("discoverable login without a user handle"));
  if (userHandle && userHandle !== passkey.user.webauthnUserId) {
    throw verificationFailed(new Error("user handle does not match the passkey's account"));
  }
  assertNotEmbedded(response.response.clientDataJSON);

  const storedCounter = Number(passkey.counter);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: config.origin,
      expectedRPID: config.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        // The counter is compared below, after the signature is known to be good: told 0, the
        // library skips its own comparison (which runs before the signature check).
        counter: 0,
        transports: JSON.parse(passkey.transports),
      },
      requireUserVerification: challenge.userVerification === "required",
    });
  } catch (error) {
    throw verificationFailed(error);
  }
  if (!verification.verified) throw verificationFailed(new Error("signature did not verify"));
  const info = verification.authenticationInfo;
  // SimpleWebAuthn enforces UV when told to; a step-up states it again so no option can drop it.
  if (reauthentication && !info.userVerified) throw verificationFailed(new Error("step-up without user verification"));
  // WebAuthn §7.2: a counter that does not move forward (when either is non-zero) means two copies
  // of the key exist. The response is correctly signed, so it is recorded as counter_regression.
  if ((info.newCounter > 0 || storedCounter > 0) && info.newCounter <= storedCounter) {
    throw verificationFailed(new CounterRegression(storedCounter, info.newCounter));
  }

  const now = new Date();
  const code = await db.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({
      where: { id: passkey.id, counter: passkey.counter },
      data: { counter: BigInt(info.newCounter), backedUp: info.credentialBackedUp, lastUsedAt: now },
    });
    if (count !== 1) throw verificationFailed(new Error("signature counter changed concurrently"));
    // BE is fixed when a credential is created, so a change means this is not the credential that
    // was registered behaving normally (a broken or impersonating authenticator). Recorded, not
    // refused: the signature is good, and a false alarm must not lock the person out.
    if (info.credentialDeviceType !== passkey.deviceType) {
      await recordSecurityEvent(tx, {
        userId: passkey.userId,
        type: "backup_eligibility_changed",
        details: { passkeyId: passkey.id, name: passkey.name, registered: passkey.deviceType, now: info.credentialDeviceType },
      });
    }
    return issueCode(
      tx,
      {
        ceremony: reauthentication ? "reauthentication" : "authentication",
        userId: passkey.userId,
        sessionId: reauthentication ? challenge.sessionId! : undefined,
        browserBindingHash: challenge.browserBindingHash ?? undefined,
        passkeyId: passkey.id,
        userVerified: info.userVerified,
        authTime: now,
      },
      config.codeTtlSeconds,
    );
  });
  return { code };
}
