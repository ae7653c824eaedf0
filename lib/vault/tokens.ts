import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from "jose";
import { SIGNING_ALGORITHMS, type VaultConfig } from "./config";
import { VaultError } from "./errors";
import type { KeyStore } from "./keys";
import { newId } from "./random";

/**
 * An explicit `typ` stops any other JWT signed by the same keys (an id_token, say) from being
 * accepted as a session.
 */
export const SESSION_TOKEN_TYPE = "session+jwt";
/**
 * The restricted session an email recovery code grants (lib/vault/recovery.ts). Another `typ`, so
 * verifySessionToken (the proxy, authenticateSession, any resource server using the JWKS) refuses
 * it: it is accepted only where recovery asks for it by this type.
 */
export const RECOVERY_TOKEN_TYPE = "recovery+jwt";
export type TokenType = typeof SESSION_TOKEN_TYPE | typeof RECOVERY_TOKEN_TYPE;

/**
 * A recovery token's `aud` is not the sessions' either: a resource server that checks `aud` but not
 * `typ` (many JWT libraries do not check `typ` unless asked) still refuses it.
 */
const audienceFor = (config: VaultConfig, type: TokenType) =>
  type === RECOVERY_TOKEN_TYPE ? `${config.audience}#recovery` : config.audience;

const REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "iat", "exp", "auth_time", "uv", "jti"];

/** The session JWT's claims. No personal data: the user id is opaque. */
export interface SessionClaims {
  sub: string;
  sid: string;
  /** Seconds since the epoch when the user last completed a ceremony. */
  auth_time: number;
  /** Whether that ceremony verified the user (PIN, biometrics). */
  uv: boolean;
  iat: number;
  exp: number;
  jti: string;
}

export async function signSessionToken(
  keys: KeyStore,
  config: VaultConfig,
  claims: { userId: string; sessionId: string; authTime: Date; userVerified: boolean; expiresAt: Date },
  type: TokenType = SESSION_TOKEN_TYPE,
): Promise<string> {
  const { kid, alg, privateKey } = await keys.signingKey();
  return new SignJWT({
    sid: claims.sessionId,
    auth_time: Math.floor(claims.authTime.getTime() / 1000),
    uv: claims.userVerified,
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
 * Checks signature and claims. jose checks iss/aud/typ only when asked, and exp only when present,
 * so every one is pinned here. Says nothing about revocation: see sessions.ts.
 */
export async function verifySessionToken(
  keys: KeyStore,
  config: VaultConfig,
  token: string,
  type: TokenType = SESSION_TOKEN_TYPE,
): Promise<SessionClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        const key = header.kid ? await keys.verificationKey(header.kid, header.alg) : undefined;
        if (!key) throw new joseErrors.JWKSNoMatchingKey();
        return key;
      },
      {
        algorithms: [...SIGNING_ALGORITHMS],
        issuer: config.origin,
        audience: audienceFor(config, type),
        typ: type,
        // Presence of every claim; the type checks below also narrow their types.
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: 5,
      },
    ));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw invalidSession(error);
    throw error;
  }
  const { sub, sid, auth_time, uv, iat, exp, jti } = payload;
  if (
    typeof sub !== "string" ||
    typeof sid !== "string" ||
    typeof auth_time !== "number" ||
    typeof uv !== "boolean" ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    typeof jti !== "string"
  ) {
    throw invalidSession();
  }
  return { sub, sid, auth_time, uv, iat, exp, jti };
}
