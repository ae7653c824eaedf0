import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from "jose";
import { recoveryAudience, SIGNING_ALGORITHMS, type VaultConfig } from "./config";
import { VaultError } from "./errors";
import type { SessionMethod } from "./context";
import type { KeyStore } from "./keys";
import { newId } from "./random";

/**
 * An explicit `typ` stops any other JWT signed by the same keys (the id_token and the recovery
 * token below) from being accepted as a session, and the other way round.
 */
export const SESSION_TOKEN_TYPE = "session+jwt";
/** The principal API's id_token: "this person just signed in", for a relying backend. Never a session. */
export const ID_TOKEN_TYPE = "id+jwt";
/**
 * The restricted session an email recovery code grants (lib/vault/recovery.ts). Another `typ`, so
 * verifySessionToken (the proxy, authenticateSession, any resource server using the JWKS) refuses
 * it: it is accepted only where recovery asks for it by this type.
 */
export const RECOVERY_TOKEN_TYPE = "recovery+jwt";
export type TokenType = typeof SESSION_TOKEN_TYPE | typeof RECOVERY_TOKEN_TYPE;

/**
 * A recovery token's `aud` is not the sessions' either (nor is an id_token's: config.ts): a resource
 * server that checks `aud` but not `typ` (many JWT libraries do not check `typ` unless asked) still
 * refuses it.
 */
const audienceFor = (config: VaultConfig, type: TokenType) =>
  type === RECOVERY_TOKEN_TYPE ? recoveryAudience(config.audience) : config.audience;

const REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "iat", "exp", "auth_time", "uv", "amr", "jti"];

/**
 * `amr` (RFC 8176) says how the person signed in, for anyone who checks the JWT against the JWKS:
 * "pop" (proof of possession of a key: a passkey) or "otp" (a one-time code sent by email). `uv`
 * says whether the passkey also verified the person; an email code never does.
 */
const AMR: Record<SessionMethod, string[]> = { passkey: ["pop"], email_code: ["otp"] };

/** The session JWT's claims. No personal data: the user id is opaque. */
export interface SessionClaims {
  sub: string;
  sid: string;
  /** Seconds since the epoch when the user last completed a ceremony. */
  auth_time: number;
  /** Whether that ceremony verified the user (PIN, biometrics). */
  uv: boolean;
  /** How: ["pop"] for a passkey, ["otp"] for an emailed code. */
  amr: string[];
  iat: number;
  exp: number;
  jti: string;
}

export async function signSessionToken(
  keys: KeyStore,
  config: VaultConfig,
  claims: { userId: string; sessionId: string; method: SessionMethod; authTime: Date; userVerified: boolean; expiresAt: Date },
  type: TokenType = SESSION_TOKEN_TYPE,
): Promise<string> {
  const { kid, alg, privateKey } = await keys.signingKey();
  return new SignJWT({
    sid: claims.sessionId,
    auth_time: Math.floor(claims.authTime.getTime() / 1000),
    uv: claims.userVerified,
    amr: AMR[claims.method],
  })
    .setProtectedHeader({ alg, kid, typ: type })
    .setIssuer(config.origin)
    .setAudience(audienceFor(config, type))
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .setJti(newId())
    .sign(privateKey);
}

const invalidSession = (cause?: unknown) =>
  new VaultError("Unauthenticated", "Your session is not valid. Please sign in again.", { cause });

/**
 * Signature and the claims every vault JWT pins. jose checks iss/aud/typ only when asked, and exp
 * only when present, so every one is pinned here; `typ` and `aud` each keep session JWTs and
 * id_tokens apart.
 */
async function verifyVaultJwt(
  keys: KeyStore,
  config: VaultConfig,
  token: string,
  { typ, audience, requiredClaims, invalid }: {
    typ: string;
    audience: string;
    requiredClaims: string[];
    invalid: (cause?: unknown) => VaultError;
  },
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        const key = header.kid ? await keys.verificationKey(header.kid, header.alg) : undefined;
        if (!key) throw new joseErrors.JWKSNoMatchingKey();
        return key;
      },
      {
        algorithms: [...SIGNING_ALGORITHMS],
        issuer: config.origin,
        audience,
        typ,
        // Presence of every claim; the callers' type checks also narrow their types.
        requiredClaims,
        clockTolerance: 5,
      },
    );
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw invalid(error);
    throw error;
  }
}

/**
 * Checks signature and claims of a session JWT (or, asked by `type`, a recovery token). Says
 * nothing about revocation: see sessions.ts.
 */
export async function verifySessionToken(
  keys: KeyStore,
  config: VaultConfig,
  token: string,
  type: TokenType = SESSION_TOKEN_TYPE,
): Promise<SessionClaims> {
  const payload = await verifyVaultJwt(keys, config, token, {
    typ: type,
    audience: audienceFor(config, type),
    requiredClaims: REQUIRED_CLAIMS,
    invalid: invalidSession,
  });
  const { sub, sid, auth_time, uv, amr, iat, exp, jti } = payload;
  if (
    typeof sub !== "string" ||
    typeof sid !== "string" ||
    typeof auth_time !== "number" ||
    typeof uv !== "boolean" ||
    !Array.isArray(amr) ||
    !amr.every((value) => typeof value === "string") ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  ) {
    throw invalidSession();
  }
  return { sub, sid, auth_time, uv, amr, iat, exp, jti };
}

// --- id_token ---------------------------------------------------------------------------------

const ID_TOKEN_CLAIMS = ["iss", "aud", "sub", "iat", "exp", "auth_time", "uv", "email", "email_verified", "jti"];

/**
 * The principal API's id_token claims: who signed in (`sub`, `email`), when (`auth_time`) and how
 * (`uv`). No `sid`: it names no session of this app, and nothing here accepts it as one.
 */
export interface IdTokenClaims {
  sub: string;
  email: string;
  /**
   * OIDC's `email_verified`: whether the owner proved they read mail at `email`. Anyone can sign up
   * with someone else's address, so a relying party must never link accounts by an email for which
   * this is false.
   */
  email_verified: boolean;
  auth_time: number;
  uv: boolean;
  iat: number;
  exp: number;
  jti: string;
}

const invalidIdToken = (cause?: unknown) => new VaultError("Unauthenticated", "The id_token is not valid.", { cause });

/** Signs an id_token that expires `config.idTokenTtlSeconds` from now. */
export async function signIdToken(
  keys: KeyStore,
  config: VaultConfig,
  claims: { userId: string; email: string; emailVerified: boolean; authTime: Date; userVerified: boolean },
): Promise<{ token: string; expiresAt: number }> {
  const { kid, alg, privateKey } = await keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + config.idTokenTtlSeconds;
  const token = await new SignJWT({
    auth_time: Math.floor(claims.authTime.getTime() / 1000),
    uv: claims.userVerified,
    email: claims.email,
    email_verified: claims.emailVerified,
  })
    .setProtectedHeader({ alg, kid, typ: ID_TOKEN_TYPE })
    .setIssuer(config.origin)
    .setAudience(config.idTokenAudience)
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(newId())
    .sign(privateKey);
  return { token, expiresAt };
}

/** Checks an id_token's signature and claims (`typ` id+jwt: a session JWT is refused). `@error/Unauthenticated`. */
export async function verifyIdToken(keys: KeyStore, config: VaultConfig, token: string): Promise<IdTokenClaims> {
  const payload = await verifyVaultJwt(keys, config, token, {
    typ: ID_TOKEN_TYPE,
    audience: config.idTokenAudience,
    requiredClaims: ID_TOKEN_CLAIMS,
    invalid: invalidIdToken,
  });
  const { sub, email, email_verified, auth_time, uv, iat, exp, jti } = payload;
  if (
    typeof sub !== "string" ||
    typeof email !== "string" ||
    typeof email_verified !== "boolean" ||
    typeof auth_time !== "number" ||
    typeof uv !== "boolean" ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  ) {
    throw invalidIdToken();
  }
  return { sub, email, email_verified, auth_time, uv, iat, exp, jti };
}
