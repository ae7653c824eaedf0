import { VaultError } from "./errors";

export type SigningAlgorithm = "RS256" | "ES256" | "EdDSA";
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ["RS256", "ES256", "EdDSA"];

/** Everything the vault needs to know about the app it serves. Read once, from the environment. */
export interface VaultConfig {
  /** The app's origin, e.g. https://app.example.com. The only origin a WebAuthn response may come from; also the JWT issuer. */
  origin: string;
  /** WebAuthn relying-party id: the origin's host name or a registrable suffix of it. */
  rpId: string;
  /** Shown by the authenticator when creating a passkey. */
  rpName: string;
  /** `aud` of session JWTs. */
  audience: string;
  /** AUTH_SECRET: encrypts signing keys at rest and derives decoy credential ids. */
  secret: string;
  /** Algorithm for newly created signing keys. */
  signingAlgorithm: SigningAlgorithm;
  sessionTtlSeconds: number;
  /** How recent a user-verified ceremony must be for sensitive operations (step-up window). */
  recentVerificationSeconds: number;
  challengeTtlSeconds: number;
  codeTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

const DEFAULT_ORIGIN = "http://localhost:3000";
const MIN_SECRET_LENGTH = 32;
/** Codes are capped at 120 s (docs/architecture.md); they are exchanged within a second in practice. */
const MAX_CODE_TTL_SECONDS = 120;

function configError(message: string): VaultError {
  return new VaultError("Unavailable", `Configuration error: ${message}`);
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`APP_ORIGIN is not a URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.hostname !== "localhost") {
    throw configError("APP_ORIGIN must be https (plain http is allowed only for localhost)");
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    throw configError("APP_ORIGIN must be an origin only: scheme, host and optional port");
  }
  return url.origin;
}

function parseSeconds(env: Env, name: string, fallback: number, max = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw configError(`${name} must be a whole number of seconds between 1 and ${max}`);
  }
  return value;
}

export function loadVaultConfig(env: Env = process.env): VaultConfig {
  const origin = parseOrigin(env.APP_ORIGIN || DEFAULT_ORIGIN);
  const host = new URL(origin).hostname;
  const rpId = env.RP_ID || host;
  // The browser enforces this too; failing at start-up beats every ceremony failing later.
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw configError(`RP_ID "${rpId}" must be ${host} or a parent domain of it`);
  }

  const secret = env.AUTH_SECRET ?? "";
  if (secret.length < MIN_SECRET_LENGTH) {
    throw configError(
      `AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (npm run setup writes one to .env)`,
    );
  }

  const signingAlgorithm = (env.JWT_ALGORITHM || "RS256") as SigningAlgorithm;
  if (!SIGNING_ALGORITHMS.includes(signingAlgorithm)) {
    throw configError(`JWT_ALGORITHM must be one of ${SIGNING_ALGORITHMS.join(", ")}`);
  }

  return {
    origin,
    rpId,
    rpName: env.RP_NAME || "Next.js Passkeys",
    audience: env.JWT_AUDIENCE || origin,
    secret,
    signingAlgorithm,
    sessionTtlSeconds: parseSeconds(env, "SESSION_TTL_SECONDS", 7 * 24 * 3600),
    // Longer than an hour would make step-up a formality.
    recentVerificationSeconds: parseSeconds(env, "RECENT_VERIFICATION_SECONDS", 300, 3600),
    challengeTtlSeconds: parseSeconds(env, "CHALLENGE_TTL_SECONDS", 300, 600),
    codeTtlSeconds: parseSeconds(env, "CODE_TTL_SECONDS", 60, MAX_CODE_TTL_SECONDS),
  };
}
