import type { Db } from "../db-client";
import type { VaultConfig } from "./config";
import type { Housekeeping } from "./housekeeping";
import type { KeyStore } from "./keys";

/** What every vault operation works with. Built once per process by createVault(). */
export interface VaultContext {
  db: Db;
  config: VaultConfig;
  keys: KeyStore;
  housekeeping: Housekeeping;
}

/**
 * How a session started: a passkey ceremony, or an emailed code (the fallback sign-in for browsers
 * without WebAuthn, never user-verified).
 */
export type SessionMethod = "passkey" | "email_code";

/** A live, verified session, as returned by authenticateSession(). */
export interface Session {
  userId: string;
  sessionId: string;
  method: SessionMethod;
  /** The passkey of the last ceremony; null for an email-code session. */
  passkeyId: string | null;
  userVerified: boolean;
  authTime: Date;
  expiresAt: Date;
}

/** WebAuthn signature algorithms offered at registration: EdDSA, ES256, RS256 (COSE ids). */
export const SUPPORTED_ALGORITHM_IDS = [-8, -7, -257];

/** How long the browser may wait for the person at the authenticator. */
export const CEREMONY_TIMEOUT_MS = 120_000;
