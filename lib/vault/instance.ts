import "server-only";
import { getDb } from "../db";
import { createVault, type Vault } from "./index";

const globalForVault = globalThis as unknown as { passkeyVault?: Vault };

/**
 * The app's vault: created on first use (not at import, so `next build` needs no secrets) and kept
 * on globalThis so dev-mode hot reloads keep one key cache and one database pool.
 */
export function getVault(): Vault {
  return (globalForVault.passkeyVault ??= createVault(getDb()));
}
