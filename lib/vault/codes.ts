import type { Db } from "../db";
import type { Ceremony } from "./challenges";
import { VaultError } from "./errors";
import { hashToken, newId, randomToken } from "./random";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type CodeRow = NonNullable<Awaited<ReturnType<Db["code"]["findUnique"]>>>;

export interface CodeGrant {
  ceremony: Ceremony;
  userId: string;
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

/** Consumes a code exactly once, with the same conditional-update rule as challenges. */
export async function consumeCode(tx: Tx | Db, code: string): Promise<CodeRow> {
  const codeHash = hashToken(code);
  const now = new Date();
  const { count } = await tx.code.updateMany({
    where: { codeHash, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  const row = count === 1 ? await tx.code.findUnique({ where: { codeHash } }) : null;
  if (!row) throw new VaultError("InvalidCode", "This sign-in code has expired or was already used. Please sign in again.");
  return row;
}
