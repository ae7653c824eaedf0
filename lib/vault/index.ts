import type { Db } from "../db";
import { authorizeAuthentication, verifyAuthentication } from "./authentication";
import { consumeCode } from "./codes";
import { loadVaultConfig, type VaultConfig } from "./config";
import type { Session, VaultContext } from "./context";
import * as input from "./input";
import { Housekeeping } from "./housekeeping";
import { KeyStore } from "./keys";
import { authorizeRegistration, verifyRegistration } from "./registration";
import { authenticateSession, createSession, revokeSession } from "./sessions";
import { signSessionToken, verifySessionToken } from "./tokens";

export { VaultError, isVaultError, type ErrorBody, type ErrorTag } from "./errors";
export type { Session } from "./context";
export type { VaultConfig } from "./config";
export { loadVaultConfig };

/** What a successful code exchange proves: who signed in, how, and the session JWT that says so. */
export interface Principal {
  userId: string;
  sessionId: string;
  passkeyId: string;
  userVerified: boolean;
  /** Seconds since the epoch. */
  authTime: number;
  /** Seconds since the epoch; also the JWT's `exp`. */
  expiresAt: number;
  /** The signed session JWT. */
  token: string;
}

/**
 * The passkey vault. Framework-free: give it a database and a configuration. One instance per
 * process, because it caches signing keys.
 */
export function createVault(db: Db, config: VaultConfig = loadVaultConfig()) {
  const ctx: VaultContext = { db, config, keys: new KeyStore(db, config), housekeeping: new Housekeeping(db) };

  return {
    config,
    authorizeRegistration: (body: unknown, session?: Session) => authorizeRegistration(ctx, body, session),
    verifyRegistration: (body: unknown) => verifyRegistration(ctx, body),
    authorizeAuthentication: (body: unknown) => authorizeAuthentication(ctx, body),
    verifyAuthentication: (body: unknown) => verifyAuthentication(ctx, body),

    /** Trades a single-use code for a new session: the row and its JWT. */
    async exchangeCode(code: unknown): Promise<Principal> {
      const secret = input.secretToken(code, "code");
      const session = await db.$transaction(async (tx) =>
        createSession(tx, await consumeCode(tx, secret), config.sessionTtlSeconds),
      );
      const token = await signSessionToken(ctx.keys, config, session);
      return {
        userId: session.userId,
        sessionId: session.sessionId,
        passkeyId: session.passkeyId!,
        userVerified: session.userVerified,
        authTime: Math.floor(session.authTime.getTime() / 1000),
        expiresAt: Math.floor(session.expiresAt.getTime() / 1000),
        token,
      };
    },

    /** Signature and claims only: the optimistic check for proxy.ts. */
    verifySessionToken: (token: string) => verifySessionToken(ctx.keys, config, token),
    /** JWT verified and session row live; throws Unauthenticated otherwise. */
    authenticateSession: (token: string) => authenticateSession(ctx, token),
    revokeSession: (sessionId: string) => revokeSession(db, sessionId),
    jwks: () => ctx.keys.jwks(),

    getUser: (userId: string) =>
      db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, displayName: true, createdAt: true } }),
    listPasskeys: (userId: string) =>
      db.passkey.findMany({
        where: { userId },
        orderBy: { createdAt: "asc" },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true, deviceType: true, backedUp: true },
      }),
  };
}

export type Vault = ReturnType<typeof createVault>;
