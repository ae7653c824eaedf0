import type { Db } from "../db-client";
import { VaultError } from "./errors";
import type { UserVerification } from "./input";
import { hashToken, newId, randomToken } from "./random";

/**
 * "reauthentication" is the step-up ceremony: an authentication started from a live session, bound
 * to it, that can only upgrade that session. Giving it its own name keeps its tokens and codes
 * useless at plain login, and plain-login ones useless for step-up. "recovery" is the registration
 * a recovery session starts (lib/vault/recovery.ts): only verifyRecoveryRegistration finishes it.
 */
export type Ceremony = "registration" | "authentication" | "reauthentication" | "recovery";

export interface ChallengeBinding {
  userVerification: UserVerification;
  userId?: string;
  sessionId?: string;
  email?: string;
  displayName?: string;
  webauthnUserId?: string;
  /** Hash of the browser's ceremony cookie (browserBindingHash()): the code will sign in only that browser. */
  browserBindingHash?: string;
  /** Email-first login: the credential ids its allowCredentials offered, the only ones that may answer. */
  allowCredentialIds?: string[];
}

/**
 * The stored form of a browser's ceremony cookie. A ceremony started with one carries its hash to
 * the code, and only a caller presenting the same cookie can redeem the code (codes.ts).
 */
export const browserBindingHash = (binding: string | undefined) => (binding ? hashToken(binding) : undefined);

export type ChallengeRow = NonNullable<Awaited<ReturnType<Db["challenge"]["findUnique"]>>>;

/** Stores a challenge and returns the opaque token the browser carries to the verify step. */
export async function storeChallenge(
  db: Db,
  ceremony: Ceremony,
  challenge: string,
  ttlSeconds: number,
  binding: ChallengeBinding,
): Promise<string> {
  const token = randomToken();
  await db.challenge.create({
    data: {
      id: newId(),
      tokenHash: hashToken(token),
      ceremony,
      challenge,
      ...binding,
      allowCredentialIds: binding.allowCredentialIds && JSON.stringify(binding.allowCredentialIds),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    },
  });
  return token;
}

/** The credential ids an email-first challenge offered; null when any credential may answer. */
export const offeredCredentialIds = (challenge: ChallengeRow): string[] | null =>
  challenge.allowCredentialIds === null ? null : (JSON.parse(challenge.allowCredentialIds) as string[]);

export const invalidToken = () =>
  new VaultError("InvalidToken", "This sign-in attempt has expired or was already used. Please start again.");

/**
 * Consumes a token exactly once. The conditional update is the lock: of two concurrent verifies
 * with the same token, exactly one updates (and gets back) the row. Expired, used, unknown and wrong-ceremony
 * tokens all get the same answer, and a wrong-ceremony token is left unspent.
 */
export async function consumeChallenge(
  db: Db,
  token: string,
  ceremonies: readonly Ceremony[],
): Promise<ChallengeRow> {
  const tokenHash = hashToken(token);
  const now = new Date();
  // One statement, UPDATE … RETURNING: the row comes back only to the caller whose update spent it.
  const [row] = await db.challenge.updateManyAndReturn({
    where: { tokenHash, ceremony: { in: [...ceremonies] }, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  if (!row) throw invalidToken();
  return row;
}
