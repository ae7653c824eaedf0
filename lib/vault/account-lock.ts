import type { Tx } from "../db-client";

/**
 * Serialises work on one account: the first statement of the transaction writes the user row
 * (users.updatedAt), which takes its lock until the transaction ends. A second transaction for the
 * same account waits there, and on PostgreSQL (read committed) each of its later statements sees
 * what the first committed; SQLite has one writer at a time anyway. So a count read after this,
 * and the write that depends on it, are one step: parallel requests cannot both pass the check.
 * False when the account is gone.
 */
export async function lockAccount(tx: Tx, userId: string): Promise<boolean> {
  const { count } = await tx.user.updateMany({ where: { id: userId }, data: { updatedAt: new Date() } });
  return count === 1;
}
