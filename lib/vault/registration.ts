import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/server";
import { isUniqueViolation, type Tx } from "../db-client";
import { passkeyName } from "./authenticators";
import { browserBindingHash, consumeChallenge, storeChallenge, type ChallengeRow } from "./challenges";
import { assertNotEmbedded } from "./client-data";
import { issueCode } from "./codes";
import { CEREMONY_TIMEOUT_MS, SUPPORTED_ALGORITHM_IDS, type Session, type VaultContext } from "./context";
import { VaultError, isVaultError, verificationFailed } from "./errors";
import * as input from "./input";
import { newId, randomToken } from "./random";
import { recordSecurityEvent, recordSecurityEventBestEffort, refusalReason } from "./security-events";
import { assertRecentlyVerified, assertSessionLive } from "./sessions";

export interface CeremonyStart<Options> {
  token: string;
  options: Options;
}

const duplicateAccount = () =>
  new VaultError("DuplicateAccount", "An account with this email already exists. Sign in with its passkey instead.");

const duplicatePasskey = (credentialId: string) =>
  new VaultError("DuplicatePasskey", "This passkey is already registered.", { details: { credentialId } });

/**
 * Starts a registration: `{ email, displayName? }` creates an account, `{}` with a session adds a
 * passkey to it (only within minutes of a user-verified sign-in). Nothing but the challenge is
 * written: the account exists only once a passkey for it has been verified.
 */
export async function authorizeRegistration(
  ctx: VaultContext,
  body: unknown,
  session?: Session,
  browserBinding?: string,
): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>> {
  const { db, config } = ctx;
  let account: { email: string; displayName: string; webauthnUserId: string; userId?: string };

  if (session) {
    input.object(body, "body", []);
    assertRecentlyVerified(session, config.recentVerificationSeconds);
    const user = await db.user.findUniqueOrThrow({ where: { id: session.userId } });
    const { email, displayName, webauthnUserId } = user;
    account = { email, displayName, webauthnUserId, userId: user.id };
  } else {
    const fields = input.object(body, "body", ["email", "displayName"]);
    const email = input.email(fields.email);
    const displayName = input.displayName(fields.displayName === undefined ? displayNameFrom(email) : fields.displayName);
    if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw duplicateAccount();
    // The user handle is random, not the user id: authenticators may show or sync it.
    account = { email, displayName, webauthnUserId: randomToken() };
  }
  return registrationChallenge(ctx, account, "registration", session?.sessionId, browserBinding);
}

/**
 * The name for an account signed up without one: the email's local part, cut to MAX_NAME_LENGTH
 * code points after NFC (the form input.displayName measures), then given to input.displayName
 * like a typed name, so there is one rule for names. It cannot fail for an address input.email
 * accepted: that refuses every character the name rule does (control, format) and whitespace, so
 * only the length could, and the cut settles it.
 */
function displayNameFrom(email: string): string {
  const localPart = email.slice(0, email.lastIndexOf("@")).normalize("NFC");
  return [...localPart].slice(0, input.MAX_NAME_LENGTH).join("");
}

/**
 * The options and stored challenge of a registration for `account` (an existing user when it has
 * `userId`; a pending new one otherwise). Shared by sign-up, adding a passkey and recovery.
 */
export async function registrationChallenge(
  ctx: VaultContext,
  account: { email: string; displayName: string; webauthnUserId: string; userId?: string },
  ceremony: "registration" | "recovery",
  sessionId: string | undefined,
  browserBinding: string | undefined,
): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>> {
  const { db, config } = ctx;
  const existing = account.userId
    ? await db.passkey.findMany({ where: { userId: account.userId }, select: { credentialId: true, transports: true } })
    : [];

  const options = await generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpId,
    userName: account.email,
    userDisplayName: account.displayName,
    userID: Buffer.from(account.webauthnUserId, "base64url"),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    // Stops the same authenticator being registered twice to this account.
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: JSON.parse(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
  });

  await ctx.housekeeping.purgeExpiredNowAndThen();
  const token = await storeChallenge(db, ceremony, options.challenge, config.challengeTtlSeconds, {
    userVerification: "preferred",
    userId: account.userId,
    sessionId,
    browserBindingHash: browserBindingHash(browserBinding),
    // A new account is only remembered here until the passkey for it is verified.
    ...(account.userId
      ? {}
      : { email: account.email, displayName: account.displayName, webauthnUserId: account.webauthnUserId }),
  });
  return { token, options };
}

/**
 * Runs inside the registration's transaction, after the passkey is written: recovery's extra
 * writes, sign-up's first email confirmation code.
 */
export type RegistrationHook = (tx: Tx, added: { userId: string; passkeyId: string; name: string; challenge: ChallengeRow }) => Promise<void>;

/**
 * Finishes a registration. The token is consumed first, so a response can be tried once. The stored
 * credential id, public key and counter come from the verified attestation, never from the client's
 * JSON. The user (when new), the passkey and the code are written in one transaction.
 * `ceremony` "recovery" finishes only a recovery's registration; `hook` runs in the transaction.
 */
export async function verifyRegistration(
  ctx: VaultContext,
  body: unknown,
  ceremony: "registration" | "recovery" = "registration",
  hook?: RegistrationHook,
): Promise<{ code: string; passkeyName: string }> {
  const { db, config } = ctx;
  const fields = input.object(body, "body", ["token", "response"]);
  const token = input.secretToken(fields.token, "token");
  const response = input.registrationResponse(fields.response);

  const challenge = await consumeChallenge(db, token, [ceremony]);
  if (challenge.sessionId) await assertCeremonySession(ctx, challenge.sessionId, ceremony);

  let info;
  try {
    info = await verifiedRegistration(ctx, challenge, response);
  } catch (error) {
    // Adding a passkey to an account: that account's log. A refused sign-up has no account whose
    // owner could read it, so it is only logged (the route handler logs the cause), not stored.
    if (isVaultError(error) && error.kind === "Verification" && challenge.userId) {
      await recordSecurityEventBestEffort(db, {
        userId: challenge.userId,
        type: "verification_failed",
        details: { ceremony: "registration", reason: refusalReason(error.cause) },
      });
    }
    throw error;
  }

  // A credential id registered already is refused by the passkeys table's unique index, inside the
  // transaction (see the catch below): no read first, which would only repeat that check.
  const credentialId = info.credential.id;
  const now = new Date();
  const passkeyId = newId();
  const name = passkeyName(info.aaguid);
  try {
    const code = await db.$transaction(async (tx) => {
      let userId = challenge.userId;
      if (!userId) {
        userId = newId();
        await tx.user.create({
          data: {
            id: userId,
            email: challenge.email!,
            displayName: challenge.displayName!,
            webauthnUserId: challenge.webauthnUserId!,
          },
        });
      }
      await tx.passkey.create({
        data: {
          id: passkeyId,
          userId,
          credentialId,
          publicKey: info.credential.publicKey,
          counter: BigInt(info.credential.counter),
          transports: JSON.stringify(response.response.transports ?? []),
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          aaguid: info.aaguid,
          name,
          lastUsedAt: now,
        },
      });
      await recordSecurityEvent(tx, {
        userId,
        type: "passkey_added",
        details: { passkeyId, name, newAccount: !challenge.userId },
      });
      await hook?.(tx, { userId, passkeyId, name, challenge });
      return issueCode(
        tx,
        {
          ceremony: "registration",
          userId,
          passkeyId,
          userVerified: info.userVerified,
          authTime: now,
          browserBindingHash: challenge.browserBindingHash ?? undefined,
        },
        config.codeTtlSeconds,
      );
    });
    return { code, passkeyName: name };
  } catch (error) {
    // A credential or email registered already, or by a parallel registration that won the race.
    if (isUniqueViolation(error)) {
      const taken = await db.passkey.findUnique({ where: { credentialId }, select: { id: true } });
      throw taken ? duplicatePasskey(credentialId) : duplicateAccount();
    }
    throw error;
  }
}

/**
 * The session a challenge was started from must still be live at verify. Adding a passkey to an
 * account must also still be within the step-up window: checked at authorize only, a ceremony
 * begun in its last second would finish up to the challenge's lifetime later. Not for recovery,
 * whose session is its own proof (an emailed code, never user-verified) and ends in minutes.
 */
async function assertCeremonySession(ctx: VaultContext, sessionId: string, ceremony: "registration" | "recovery") {
  const session = await assertSessionLive(ctx.db, sessionId);
  if (ceremony === "registration") assertRecentlyVerified(session, ctx.config.recentVerificationSeconds);
}

/**
 * The attestation, verified: by SimpleWebAuthn (challenge, origin, RP ID, UP/UV, attestation) and
 * by the checks it is not told about (not embedded in another site; the id in the JSON is the one
 * attested, and so within the 1023 bytes input.ts allows).
 */
async function verifiedRegistration(
  ctx: VaultContext,
  challenge: ChallengeRow,
  response: ReturnType<typeof input.registrationResponse>,
) {
  const { config } = ctx;
  assertNotEmbedded(response.response.clientDataJSON);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: config.origin,
      expectedRPID: config.rpId,
      requireUserVerification: challenge.userVerification === "required",
      supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    });
  } catch (error) {
    throw verificationFailed(error);
  }
  if (!verification.verified) throw verificationFailed(new Error("attestation did not verify"));
  const info = verification.registrationInfo;
  // SimpleWebAuthn reads the id from the attested data; a response claiming another id is forged.
  if (info.credential.id !== response.id) throw verificationFailed(new Error("credential id mismatch"));
  return info;
}
