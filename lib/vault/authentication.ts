import { createHmac } from "node:crypto";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { consumeChallenge, storeChallenge, type ChallengeRow } from "./challenges";
import { issueCode } from "./codes";
import { CEREMONY_TIMEOUT_MS, type Session, type VaultContext } from "./context";
import { VaultError, badRequest, verificationFailed } from "./errors";
import * as input from "./input";
import type { CeremonyStart } from "./registration";

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
): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const fields = input.object(body, "body", ["email", "userVerification", "mediation", "reauthenticate"]);
  if (input.flag(fields.reauthenticate, "reauthenticate")) {
    const extra = ["email", "userVerification", "mediation"].find((field) => fields[field] !== undefined);
    if (extra) throw badRequest(`${extra} cannot be combined with reauthenticate`, extra);
    if (!session) throw new VaultError("Unauthenticated", "Sign in first.");
    return authorizeReauthentication(ctx, session);
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
    const user = await db.user.findUnique({
      where: { email },
      select: { id: true, passkeys: { select: { credentialId: true, transports: true } } },
    });
    if (user) {
      userId = user.id;
      allowCredentials = user.passkeys.map(toDescriptor);
    } else {
      allowCredentials = [decoyCredential(config.secret, email)];
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
  });
  return { token, options };
}

async function authorizeReauthentication(
  ctx: VaultContext,
  session: Session,
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
  });
  return { token, options };
}

const toDescriptor = (passkey: { credentialId: string; transports: string }) => ({
  id: passkey.credentialId,
  transports: JSON.parse(passkey.transports) as string[],
});

/**
 * An unknown email gets the same answer shape as a known one: a stable, made-up credential id
 * derived from the email, so asking twice cannot tell the two apart.
 */
function decoyCredential(secret: string, email: string) {
  const id = createHmac("sha256", secret).update(`decoy-credential:${email}`).digest("base64url");
  return { id, transports: ["hybrid", "internal"] };
}

const orphanedPasskey = (credentialId: string, rpId: string) =>
  new VaultError(
    "OrphanedPasskey",
    "This passkey is no longer registered with this site. Remove it from your device and sign in another way.",
    { details: { credentialId, rpId } },
  );

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
 */
export async function verifyAuthentication(
  ctx: VaultContext,
  body: unknown,
  session?: Session,
): Promise<{ code: string }> {
  const { db, config } = ctx;
  const fields = input.object(body, "body", ["token", "response"]);
  const token = input.secretToken(fields.token, "token");
  const response = input.authenticationResponse(fields.response);

  const challenge = await consumeChallenge(db, token, ["authentication", "reauthentication"]);
  const reauthentication = challenge.ceremony === "reauthentication";
  if (reauthentication) assertStartedBy(challenge, session);
  const passkey = await db.passkey.findUnique({
    where: { credentialId: response.id },
    include: { user: { select: { webauthnUserId: true } } },
  });
  // Only a truly unknown credential is "orphaned"; the browser may then delete it (Signal API).
  if (!passkey) throw orphanedPasskey(response.id, config.rpId);
  if (challenge.userId && challenge.userId !== passkey.userId) {
    throw verificationFailed(new Error("passkey belongs to another account than the one the ceremony is for"));
  }
  const userHandle = response.response.userHandle;
  if (userHandle && userHandle !== passkey.user.webauthnUserId) {
    throw verificationFailed(new Error("user handle does not match the passkey's account"));
  }

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
        counter: Number(passkey.counter),
        transports: JSON.parse(passkey.transports),
      },
      requireUserVerification: challenge.userVerification === "required",
    });
  } catch (error) {
    throw verificationFailed(error);
  }
  if (!verification.verified) throw verificationFailed();
  const info = verification.authenticationInfo;
  // SimpleWebAuthn enforces UV when told to; a step-up states it again so no option can drop it.
  if (reauthentication && !info.userVerified) throw verificationFailed(new Error("step-up without user verification"));

  const now = new Date();
  const code = await db.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({
      where: { id: passkey.id, counter: passkey.counter },
      data: { counter: BigInt(info.newCounter), backedUp: info.credentialBackedUp, lastUsedAt: now },
    });
    if (count !== 1) throw verificationFailed(new Error("signature counter changed concurrently"));
    return issueCode(
      tx,
      {
        ceremony: reauthentication ? "reauthentication" : "authentication",
        userId: passkey.userId,
        sessionId: reauthentication ? challenge.sessionId! : undefined,
        passkeyId: passkey.id,
        userVerified: info.userVerified,
        authTime: now,
      },
      config.codeTtlSeconds,
    );
  });
  return { code };
}
