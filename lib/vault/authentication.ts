import { createHmac } from "node:crypto";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { consumeChallenge, storeChallenge } from "./challenges";
import { issueCode } from "./codes";
import { CEREMONY_TIMEOUT_MS, type VaultContext } from "./context";
import { VaultError, badRequest, verificationFailed } from "./errors";
import * as input from "./input";
import type { CeremonyStart } from "./registration";

/**
 * Starts a login. Without an email the browser may offer any passkey for this site (discoverable
 * login, also used for autofill). With an email, only that account's passkeys are allowed.
 */
export async function authorizeAuthentication(
  ctx: VaultContext,
  body: unknown,
): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const { db, config } = ctx;
  const fields = input.object(body, "body", ["email", "userVerification", "mediation"]);
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
      allowCredentials = user.passkeys.map((p) => ({ id: p.credentialId, transports: JSON.parse(p.transports) }));
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
 * Finishes a login. The token is consumed first, so each response is tried once. The counter moves
 * forward with a compare-and-set, so of two replays racing, one loses.
 */
export async function verifyAuthentication(ctx: VaultContext, body: unknown): Promise<{ code: string }> {
  const { db, config } = ctx;
  const fields = input.object(body, "body", ["token", "response"]);
  const token = input.secretToken(fields.token, "token");
  const response = input.authenticationResponse(fields.response);

  const challenge = await consumeChallenge(db, token, "authentication");
  const passkey = await db.passkey.findUnique({
    where: { credentialId: response.id },
    include: { user: { select: { webauthnUserId: true } } },
  });
  // Only a truly unknown credential is "orphaned"; the browser may then delete it (Signal API).
  if (!passkey) throw orphanedPasskey(response.id, config.rpId);
  if (challenge.userId && challenge.userId !== passkey.userId) {
    throw verificationFailed(new Error("passkey belongs to another account than the email named"));
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
        ceremony: "authentication",
        userId: passkey.userId,
        passkeyId: passkey.id,
        userVerified: info.userVerified,
        authTime: now,
      },
      config.codeTtlSeconds,
    );
  });
  return { code };
}
