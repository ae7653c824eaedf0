import type { Db } from "../db";
import { VaultError } from "./errors";
import type { UserVerification } from "./input";
import { hashToken, newId, randomToken } from "./random";

export type Ceremony = "registration" | "authentication";

export interface ChallengeBinding {
  userVerification: UserVerification;
  userId?: string;
  sessionId?: string;
  email?: string;
  displayName?: string;
  webauthnUserId?: string;
}

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
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    },
  });
  return token;
}

export const invalidToken = () =>
  new VaultError("InvalidToken", "This sign-in attempt has expired or was already used. Please start again.");

/**
 * Consumes a token exactly once. The conditional update is the lock: of two concurrent verifies
 * with the same token, exactly one sees a row count of 1. Expired, used, unknown and wrong-ceremony
 * tokens all get the same answer.
 */
export async function consumeChallenge(db: Db, token: string, ceremony: Ceremony): Promise<ChallengeRow> {
  const tokenHash = hashToken(token);
  const now = new Date();
  const { count } = await db.challenge.updateMany({
    where: { tokenHash, ceremony, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  const row = count === 1 ? await db.challenge.findUnique({ where: { tokenHash } }) : null;
  if (!row) throw invalidToken();
  return row;
}
