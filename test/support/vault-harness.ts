import { afterAll, beforeAll } from "vitest";
import { createVault, isVaultError, loadVaultConfig, type Session, type VaultError, type Vault } from "../../lib/vault";
import type { Db } from "../../lib/db-client";
import { randomToken } from "../../lib/vault/random";
import { SoftAuthenticator, type PasskeyAlgorithm } from "./soft-authenticator";
import { createTestDb } from "./test-db";

export const ORIGIN = "http://localhost:3000";
export const TEST_ENV = {
  APP_ORIGIN: ORIGIN,
  AUTH_SECRET: "vitest-only-secret-0123456789abcdefghijklmnop",
};

/**
 * A vault on a fresh database of the given provider, for one test file. `vault`, `db` and `url`
 * are set in beforeAll, so read them inside tests, not at collection time.
 */
export function useVault(provider: "sqlite" | "postgresql", env: Record<string, string> = {}) {
  const harness = {} as { vault: Vault; db: Db; url: string };
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const testDb = await createTestDb(provider);
    drop = testDb.drop;
    harness.db = testDb.db;
    harness.url = testDb.url;
    harness.vault = createVault(testDb.db, loadVaultConfig({ ...TEST_ENV, ...env }));
  });
  afterAll(async () => {
    await drop?.();
  });
  return harness;
}

let emailCounter = 0;
export const uniqueEmail = (name = "person") => `${name}.${process.pid}.${++emailCounter}@example.com`;

export function newAuthenticator(algorithm: PasskeyAlgorithm = "ES256") {
  return new SoftAuthenticator({ origin: ORIGIN, algorithm });
}

/** Registers a new account end to end and signs in with the resulting code. */
export async function signUp(vault: Vault, authenticator = newAuthenticator(), email = uniqueEmail()) {
  const { token, options } = await vault.authorizeRegistration({ email, displayName: "Test Person" });
  const { response, credential } = await authenticator.register(options);
  const { code } = await vault.verifyRegistration({ token, response });
  const principal = await vault.exchangeCode(code);
  return { email, authenticator, credential, principal };
}

/** Signs up (signUp) and confirms the account's email with the code the vault issues for it. */
export async function signUpConfirmed(vault: Vault) {
  const account = await signUp(vault);
  const session = await vault.authenticateSession(account.principal.token);
  const browserBinding = randomToken();
  const delivery = await vault.requestEmailVerification(session, browserBinding);
  if (!delivery || !(await vault.verifyEmail(session, { code: delivery.code }, browserBinding)).emailVerified) {
    throw new Error("the email was not confirmed");
  }
  return { ...account, session };
}

/** Awaits a promise that must fail with a VaultError of this kind; returns the error. */
export async function expectVaultError(promise: Promise<unknown>, kind: VaultError["kind"]): Promise<VaultError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (isVaultError(error) && error.kind === kind) return error;
    throw new Error(`expected VaultError ${kind}, got ${isVaultError(error) ? error.kind : String(error)}`, {
      cause: error,
    });
  }
  throw new Error(`expected VaultError ${kind}, but it succeeded with ${JSON.stringify(outcome)}`);
}

/** The session as it is 10 minutes after sign-in: too old for sensitive changes (step-up window 5 minutes). */
export const stale = (session: Session): Session => ({ ...session, authTime: new Date(Date.now() - 10 * 60_000) });

/** As `stale`, and the session row says so too (for what reads the row rather than the object). */
export async function staleSession(db: Db, session: Session): Promise<Session> {
  const old = stale(session);
  await db.session.update({ where: { id: session.sessionId }, data: { authTime: old.authTime } });
  return old;
}
