import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import type { Db } from "../db";
import { changeDisplayName, changeEmail, deleteAccount, getAccount, type Account } from "./account";
import { authorizeAuthentication, verifyAuthentication } from "./authentication";
import { SIGN_IN_CODES } from "./codes";
import { loadVaultConfig, type VaultConfig } from "./config";
import type { Session, SessionMethod, VaultContext } from "./context";
import { Housekeeping, purgeExpired, type PurgeReport } from "./housekeeping";
import * as input from "./input";
import { KeyStore, type PublicJwk } from "./keys";
import { deletePasskey, listPasskeys, renamePasskey, type PasskeySummary } from "./passkeys";
import { createEmailCode, type EmailCodeDelivery, type EmailCodePurpose } from "./email-codes";
import { requestEmailSignIn, signInWithEmailCode } from "./email-sign-in";
import {
  authenticateRecoverySession,
  authorizeRecoveryRegistration,
  redeemRecovery,
  requestEmailVerification,
  requestRecovery,
  verifyEmail,
  verifyRecoveryRegistration,
  type RecoveryGrant,
  type RecoverySession,
} from "./recovery";
import { authorizeRegistration, verifyRegistration, type CeremonyStart } from "./registration";
import {
  listSecurityEvents,
  type SecurityEventDetails,
  type SecurityEventSummary,
  type SecurityEventType,
} from "./security-events";
import {
  assertRecentlyVerified,
  authenticateSession,
  createSessionFromCode,
  listSessions,
  reauthenticate,
  revokeOtherSession,
  revokeOtherSessions,
  revokeSession,
  type SessionContext,
  type SessionSummary,
} from "./sessions";
import { signSessionToken, verifyIdToken, verifySessionToken, type IdTokenClaims, type SessionClaims } from "./tokens";
import { redeemCodeForBackend, redeemCodeForService, type BackendPrincipal, type ServicePrincipal } from "./principal";

export { VaultError, isVaultError, type ErrorBody, type ErrorTag } from "./errors";
export type { Session, SessionMethod } from "./context";
export type { VaultConfig } from "./config";
export type {
  Account,
  CeremonyStart,
  EmailCodeDelivery,
  EmailCodePurpose,
  PasskeySummary,
  PurgeReport,
  RecoveryGrant,
  RecoverySession,
  PublicJwk,
  SecurityEventDetails,
  SecurityEventSummary,
  SecurityEventType,
  BackendPrincipal,
  ServicePrincipal,
  IdTokenClaims,
  SessionClaims,
  SessionContext,
  SessionSummary,
};
export { loadVaultConfig };

/** What a successful code exchange proves: who signed in, how, and the session JWT that says so. */
export interface Principal {
  userId: string;
  sessionId: string;
  /** "passkey", or "email_code" for the emailed-code fallback (never user-verified). */
  method: SessionMethod;
  /** The passkey used; null for an email-code sign-in. */
  passkeyId: string | null;
  userVerified: boolean;
  /** Seconds since the epoch. */
  authTime: number;
  /** Seconds since the epoch; also the JWT's `exp`. */
  expiresAt: number;
  /** The signed session JWT. */
  token: string;
}

/**
 * The passkey vault: everything the app asks of it. Framework-free, one instance per process
 * (it caches signing keys); create it with `createVault(db, config)`.
 *
 * Every failure is a `VaultError` whose `tag` a caller can switch on (see `lib/contract/errors.ts`);
 * any method may also throw `@error/Unavailable` when the database fails. Inputs typed `unknown`
 * come from outside and are parsed here: bad input is `@error/BadRequest` (with `field`) and
 * changes nothing. Methods that take a `Session` act only on that session's user, whatever ids
 * they are given; get the Session from `authenticateSession`, never build one from client input.
 *
 * Nothing secret is reachable from a Vault: not AUTH_SECRET, not private keys, not the database.
 */
export interface Vault {
  /** The app's origin (`APP_ORIGIN`): the only origin WebAuthn responses may come from, and the JWT issuer. */
  readonly origin: string;
  /** The WebAuthn relying-party id. */
  readonly rpId: string;
  /** Origins that may use this RP ID (`RELATED_ORIGINS`), for /.well-known/webauthn; empty when none. */
  readonly relatedOrigins: readonly string[];

  // --- Ceremonies ---------------------------------------------------------------------------

  /**
   * Starts a registration. `{ email, displayName? }` creates an account (`@error/DuplicateAccount`
   * if the email is taken); `{}` with `session` adds a passkey to that account and needs a recent
   * user-verified ceremony (`@error/ReauthenticationRequired`). Stores only the challenge.
   * `browserBinding` (the browser's ceremony cookie, see lib/session) binds the resulting code to
   * that browser: `exchangeCode` then refuses it from any other.
   */
  authorizeRegistration(
    body: unknown,
    session?: Session,
    browserBinding?: string,
  ): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>>;
  /**
   * Finishes a registration: single-use token (`@error/InvalidToken`), response verified against the
   * stored challenge, configured origin and RP ID (`@error/Verification`), unique credential id
   * (`@error/DuplicatePasskey`). User, passkey and code are written in one transaction. Adding a
   * passkey needs its session still live (`@error/Unauthenticated`) and still within the step-up
   * window (`@error/ReauthenticationRequired`), as at the start.
   * For a new account and a `browserBinding`, also answers `confirmEmail`: the code that confirms
   * its email, bound to that browser, for the caller to mail (written in the same transaction).
   */
  verifyRegistration(body: unknown, browserBinding?: string): Promise<{ code: string; confirmEmail?: EmailCodeDelivery }>;
  /**
   * Starts a sign-in: `{ email?, userVerification?, mediation? }`. Unknown emails get a decoy of
   * the same shape. With `{ reauthenticate: true }` and `session` it starts a step-up instead:
   * that user's passkeys only, `userVerification: "required"`, bound to the session
   * (`@error/Unauthenticated` without one, `@error/Forbidden` if the account has no passkey).
   * `browserBinding`: as for authorizeRegistration.
   */
  authorizeAuthentication(
    body: unknown,
    session?: Session,
    browserBinding?: string,
  ): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>>;
  /**
   * Finishes a sign-in or step-up: single-use token, verified response, counter compare-and-set.
   * `@error/OrphanedPasskey` (with `credentialId`, `rpId`) only for a credential unknown here, and
   * never on an email-first login, which accepts only the credentials it offered and refuses all
   * else with `@error/Verification`, so an unknown email's decoys answer like an account. A
   * step-up token must be finished by the session that started it (`@error/Forbidden`), with a
   * passkey of its user and the UV flag set (`@error/Verification`).
   */
  verifyAuthentication(body: unknown, session?: Session): Promise<{ code: string }>;

  // --- Sessions -----------------------------------------------------------------------------

  /**
   * Sign-in: redeems a registration or authentication code, once (`@error/InvalidCode` for a
   * used, expired, unknown or step-up code, or one bound to another browser than
   * `context.browserBinding`), and creates a session with its signed JWT.
   */
  exchangeCode(code: unknown, context?: SessionContext): Promise<Principal>;
  /**
   * Step-up: redeems a re-authentication code started by `current` (anything else is
   * `@error/InvalidCode` and stays unspent) and replaces `current` with a new session (new id,
   * `auth_time` now, `uv` true); `current` is revoked in the same transaction.
   */
  reauthenticate(code: unknown, current: Session, context?: SessionContext): Promise<Principal>;
  /**
   * The principal API: a relying backend redeems a sign-in code (registration or authentication;
   * `body` is `{ code }`),
   * once, with its API key (`@error/Unauthenticated` for a malformed, unknown or revoked key;
   * `@error/InvalidCode` as for exchangeCode). It redeems on behalf of the browser that ran the
   * ceremony, which it cannot prove by that browser's ceremony cookie: the API key stands in for
   * the browser binding (see `Redeemer` in codes.ts), and only here. Creates no session: the
   * result's id_token (`typ` id+jwt) proves the sign-in and is never accepted as a session.
   */
  redeemCodeForBackend(apiKey: unknown, body: unknown): Promise<BackendPrincipal>;
  /**
   * Sign-in for another session system running in this app (`service`: a short name such as
   * "next-auth", shown in the account's activity as "Signed in to next-auth"): redeems a sign-in
   * code once, in the request of the browser that ran the ceremony, and creates NO session here;
   * that system issues its own. The code must be bound to exactly `context.browserBinding` (the
   * ceremony cookie): another browser's code, an unbound code, or no cookie at all is
   * `@error/InvalidCode` (see `Redeemer` in codes.ts), as are used, expired, unknown and step-up
   * codes; all stay unspent. `@error/BadRequest` for a malformed code. The answer says who signed
   * in and whether the ceremony verified the user. The caller applies the code-exchange rate limit.
   */
  redeemCodeForService(code: unknown, service: string, context: SessionContext): Promise<ServicePrincipal>;
  /** Signature and claims of an id_token (a session JWT is refused: other `typ`). `@error/Unauthenticated`. */
  verifyIdToken(token: string): Promise<IdTokenClaims>;
  /** Signature and claims only, no database: the optimistic check for proxy.ts. `@error/Unauthenticated`. */
  verifySessionToken(token: string): Promise<SessionClaims>;
  /** JWT verified and session row live (not revoked, not expired); `@error/Unauthenticated` otherwise. */
  authenticateSession(token: string): Promise<Session>;
  /**
   * `@error/ReauthenticationRequired` unless the session's last ceremony verified the user within
   * the configured window (`RECENT_VERIFICATION_SECONDS`, default 5 minutes). Pure.
   */
  assertRecentlyVerified(session: Session): void;
  /**
   * Sign-out of one session by id. Idempotent. Only for the caller's own current session. Records
   * "signed_out" when it ends a live session (not when it was already ended).
   */
  revokeSession(sessionId: string): Promise<void>;
  /** The user's live sessions, the current one first. */
  listSessions(session: Session): Promise<SessionSummary[]>;
  /** Signs out another session of the same user (`@error/NotFound` otherwise). Needs recent verification. */
  revokeOtherSession(session: Session, sessionId: unknown): Promise<void>;
  /** Signs out every other session of the user; returns how many. Needs recent verification. */
  revokeOtherSessions(session: Session): Promise<number>;
  /** The public signing keys (upcoming, current, retired-but-verifiable), for the JWKS endpoint. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
  /**
   * Housekeeping: deletes every row that can no longer change an answer (expired challenges and
   * codes, ended sessions, finished rate-limit windows, events past their retention) and reports
   * how many of each. For the scheduled route and `npm run db:cleanup`; also runs now and then on
   * its own when ceremonies start.
   */
  purgeExpired(): Promise<PurgeReport>;

  // --- Account and passkeys -----------------------------------------------------------------

  getAccount(session: Session): Promise<Account>;
  /** Needs recent verification. `@error/DuplicateAccount` if another account uses the email. */
  changeEmail(session: Session, email: unknown): Promise<Account>;
  changeDisplayName(session: Session, displayName: unknown): Promise<Account>;
  /**
   * Deletes the account, its passkeys and sessions. Needs recent verification and the account's
   * email typed as `confirmation`. Returns the user handle for `signalAllAcceptedCredentials`.
   */
  deleteAccount(session: Session, confirmation: unknown): Promise<{ userHandle: string }>;
  listPasskeys(session: Session): Promise<PasskeySummary[]>;
  /** `@error/NotFound` for a passkey not on this account. */
  renamePasskey(session: Session, passkeyId: unknown, name: unknown): Promise<PasskeySummary>;
  /**
   * Needs recent verification. Refuses the last passkey (`@error/Forbidden`, code LAST_PASSKEY),
   * also under concurrent deletes. Signs out other sessions that signed in with it. Returns the
   * remaining passkeys.
   */
  deletePasskey(session: Session, passkeyId: unknown): Promise<PasskeySummary[]>;

  // --- Activity -------------------------------------------------------------------------------

  /**
   * The session's user's security events, newest first: sign-ins, step-ups, sign-outs, passkeys
   * added, removed or renamed, email and name changes, refused responses with one of their
   * passkeys, a counter that went back, a backup-eligibility flag that changed. `limit` 1–100,
   * default 20 (`@error/BadRequest` otherwise). Each is written in the same transaction as the
   * change it records, so a refused or failed change leaves none. Details hold only what is safe
   * to show the owner (ids, passkey names, counts): refusal reasons and changed addresses stay
   * server-side, and no event ever holds a code, token, challenge or key. Kept 90 days.
   */
  listSecurityEvents(session: Session, options?: { limit?: number }): Promise<SecurityEventSummary[]>;

  // --- Email codes: verification and recovery (lib/vault/email-codes.ts, recovery.ts) ----------
  //
  // The vault sends no mail: a request answers what to mail (an EmailCodeDelivery: address, six
  // digits, link token) or null, and the caller must answer the browser the same either way (an
  // unknown email must not be told apart). Codes are single-use, 10 minutes, 5 attempts, at most
  // 3 per browser, account and purpose per 10 minutes and 10 per account an hour for recovery and sign-in, stored hashed
  // (the digits as an HMAC under AUTH_SECRET), and redeemable only with the `browserBinding`
  // (ceremony cookie) that asked. After 10 wrong typed codes for an account and purpose in a day,
  // typed codes are refused like a wrong one (`@error/InvalidCode`); the link still works.

  /** Mails a code to the session's account's address; null when already verified (or capped). */
  requestEmailVerification(session: Session, browserBinding: string): Promise<EmailCodeDelivery | null>;
  /**
   * `{ code }` or `{ link }`: marks the account's email verified. `@error/InvalidCode` for a wrong,
   * used, expired or exhausted code, another browser's, or one sent to an address the account no
   * longer has. `@error/BadRequest` (field `code`) for a code that is not six digits.
   */
  verifyEmail(session: Session, body: unknown, browserBinding: string | undefined): Promise<Account>;
  /**
   * `{ email }`: a recovery code for an account's email; null (mail nothing, answer the same) for
   * an unknown one. An unconfirmed email gets one too: recovering it is a claim (below).
   */
  requestRecovery(body: unknown, browserBinding: string): Promise<EmailCodeDelivery | null>;
  /**
   * `{ email, code }` or `{ link }` → a recovery session (10 minutes) for this browser: its JWT has
   * the `typ` recovery+jwt, which `authenticateSession` and `verifySessionToken` refuse, so it is
   * not a session anywhere else. `@error/InvalidCode` as for verifyEmail (unknown emails too).
   * `claim` is true when the account's email was never confirmed: finishing then removes the
   * passkeys already on the account (the person has just proved the address; they had not).
   */
  redeemRecovery(body: unknown, context: SessionContext): Promise<RecoveryGrant>;
  /** A recovery JWT and its live row; `@error/Unauthenticated` otherwise. */
  authenticateRecoverySession(token: string): Promise<RecoverySession>;
  /** Starts the one passkey registration a recovery session may run (ceremony "recovery"). */
  authorizeRecoveryRegistration(
    recovery: RecoverySession,
    browserBinding?: string,
  ): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>>;
  /**
   * Finishes it: the passkey is added, the recovery session spent (`@error/Unauthenticated` if it
   * already was), every other session of the account ended, "recovered" recorded, all in one
   * transaction; for a claim also every other passkey removed, the email confirmed and
   * "email_claimed" recorded. Answers the sign-in code (exchangeCode) and whom to notify.
   */
  verifyRecoveryRegistration(body: unknown): Promise<{ code: string; notify: { to: string; passkeyName: string } }>;

  // --- Sign-in by emailed code: the fallback without WebAuthn (lib/vault/email-sign-in.ts) -------

  /** `{ email }`: a sign-in code for a confirmed email; null (mail nothing, answer the same) otherwise. */
  requestEmailSignIn(body: unknown, browserBinding: string): Promise<EmailCodeDelivery | null>;
  /**
   * `{ email, code }` or `{ link }` → a session whose `method` is "email_code": `uv` false and `amr`
   * ["otp"] in its JWT, so `assertRecentlyVerified` never accepts it (sensitive changes need a
   * passkey). `@error/InvalidCode` as for verifyEmail.
   */
  signInWithEmailCode(body: unknown, context: SessionContext): Promise<Principal>;
}

/** Creates the vault. Reads the configuration from the environment unless given one. */
export function createVault(db: Db, config: VaultConfig = loadVaultConfig()): Vault {
  const ctx: VaultContext = { db, config, keys: new KeyStore(db, config), housekeeping: new Housekeeping(db, config) };

  async function toPrincipal(session: Session): Promise<Principal> {
    const token = await signSessionToken(ctx.keys, config, session);
    return {
      userId: session.userId,
      sessionId: session.sessionId,
      method: session.method,
      passkeyId: session.passkeyId,
      userVerified: session.userVerified,
      authTime: Math.floor(session.authTime.getTime() / 1000),
      expiresAt: Math.floor(session.expiresAt.getTime() / 1000),
      token,
    };
  }

  return {
    origin: config.origin,
    rpId: config.rpId,
    relatedOrigins: config.relatedOrigins,

    authorizeRegistration: (body, session, browserBinding) => authorizeRegistration(ctx, body, session, browserBinding),
    verifyRegistration: async (body, browserBinding) => {
      // A new account's first confirmation code is written with the account, in its transaction.
      let confirmEmail: EmailCodeDelivery | undefined;
      const { code } = await verifyRegistration(ctx, body, "registration", async (tx, { userId, challenge }) => {
        if (challenge.userId || !browserBinding) return;
        confirmEmail = await createEmailCode(tx, ctx.config.secret, { id: userId, email: challenge.email! }, "verify_email", browserBinding);
      });
      return confirmEmail ? { code, confirmEmail } : { code };
    },
    authorizeAuthentication: (body, session, browserBinding) => authorizeAuthentication(ctx, body, session, browserBinding),
    verifyAuthentication: (body, session) => verifyAuthentication(ctx, body, session),

    exchangeCode: async (code, context = {}) =>
      toPrincipal(await createSessionFromCode(ctx, input.secretToken(code, "code"), SIGN_IN_CODES, context)),
    reauthenticate: async (code, current, context = {}) =>
      toPrincipal(await reauthenticate(ctx, input.secretToken(code, "code"), current, context)),
    redeemCodeForBackend: (apiKey, body) => redeemCodeForBackend(ctx, apiKey, body),
    redeemCodeForService: (code, service, context) => redeemCodeForService(ctx, code, service, context),
    verifyIdToken: (token) => verifyIdToken(ctx.keys, config, token),
    verifySessionToken: (token) => verifySessionToken(ctx.keys, config, token),
    authenticateSession: (token) => authenticateSession(ctx, token),
    assertRecentlyVerified: (session) => assertRecentlyVerified(session, config.recentVerificationSeconds),
    revokeSession: (sessionId) => revokeSession(db, sessionId),
    listSessions: (session) => listSessions(db, session),
    revokeOtherSession: (session, sessionId) => revokeOtherSession(ctx, session, sessionId),
    revokeOtherSessions: (session) => revokeOtherSessions(ctx, session),
    jwks: () => ctx.keys.jwks(),
    purgeExpired: () => purgeExpired(db, config),

    getAccount: (session) => getAccount(db, session),
    changeEmail: (session, email) => changeEmail(ctx, session, email),
    changeDisplayName: (session, displayName) => changeDisplayName(db, session, displayName),
    deleteAccount: (session, confirmation) => deleteAccount(ctx, session, confirmation),
    listPasskeys: (session) => listPasskeys(db, session),
    renamePasskey: (session, passkeyId, name) => renamePasskey(db, session, passkeyId, name),
    deletePasskey: (session, passkeyId) => deletePasskey(ctx, session, passkeyId),

    listSecurityEvents: (session, options) => listSecurityEvents(db, session, options),

    requestEmailVerification: (session, browserBinding) => requestEmailVerification(ctx, session, browserBinding),
    verifyEmail: async (session, body, browserBinding) => {
      await verifyEmail(ctx, session, body, browserBinding);
      return getAccount(db, session);
    },
    requestRecovery: (body, browserBinding) => requestRecovery(ctx, body, browserBinding),
    redeemRecovery: (body, context) => redeemRecovery(ctx, body, context),
    authenticateRecoverySession: (token) => authenticateRecoverySession(ctx, token),
    authorizeRecoveryRegistration: (recovery, browserBinding) => authorizeRecoveryRegistration(ctx, recovery, browserBinding),
    verifyRecoveryRegistration: (body) => verifyRecoveryRegistration(ctx, body),

    requestEmailSignIn: (body, browserBinding) => requestEmailSignIn(ctx, body, browserBinding),
    signInWithEmailCode: async (body, context) => toPrincipal(await signInWithEmailCode(ctx, body, context)),
  };
}
