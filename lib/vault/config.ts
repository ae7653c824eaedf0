
export type SigningAlgorithm = "RS256" | "ES256" | "EdDSA";
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ["RS256", "ES256", "EdDSA"];

/** Everything the vault needs to know about the app it serves. Read once, from the environment. */
export interface VaultConfig {
  /** The app's origin, e.g. https://app.example.com. The only origin a WebAuthn response may come from; also the JWT issuer. */
  origin: string;
  /**
   * WebAuthn relying-party id: the origin's host name or a registrable suffix of it, or another
   * domain whose related origins (its /.well-known/webauthn) list this origin.
   */
  rpId: string;
  /**
   * RELATED_ORIGINS: the origins that may use this app's RP ID (WebAuthn Level 3 related origins),
   * served at /.well-known/webauthn. Empty unless configured.
   */
  relatedOrigins: string[];
  /** Shown by the authenticator when creating a passkey. */
  rpName: string;
  /** `aud` of session JWTs. */
  audience: string;
  /**
   * `aud` of id_tokens (the principal API's): the relying backends' identifier (ID_TOKEN_AUDIENCE),
   * `${origin}#id_token` by default. Never `audience`: see idTokenAudience below.
   */
  idTokenAudience: string;
  /** id_token lifetime: short, it proves a sign-in that just happened, not a session. */
  idTokenTtlSeconds: number;
  /** AUTH_SECRET: encrypts signing keys at rest and derives decoy credential ids. */
  secret: string;
  /** Algorithm for newly created signing keys. */
  signingAlgorithm: SigningAlgorithm;
  sessionTtlSeconds: number;
  /** A session unused for this long ends, even before its absolute lifetime (sessionTtlSeconds). */
  sessionIdleTimeoutSeconds: number;
  /** How recent a user-verified ceremony must be for sensitive operations (step-up window). */
  recentVerificationSeconds: number;
  challengeTtlSeconds: number;
  codeTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

/** `next dev`'s default port; the dev server sets PORT to the one it actually listens on. */
const DEFAULT_DEV_PORT = "3000";
const MIN_SECRET_LENGTH = 32;
/** Codes are capped at 120 s (docs/architecture.md); they are exchanged within a second in practice. */
const MAX_CODE_TTL_SECONDS = 120;

/**
 * A mistake in the deployment's settings. Deliberately not a VaultError: route handlers answer
 * anything that is not a VaultError with a generic 503 and log it, so the details (which variable,
 * what is wrong with it) reach the operator's log and never a client.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(`Configuration error: ${message}`);
    this.name = "ConfigurationError";
  }
}

function configError(message: string): ConfigurationError {
  return new ConfigurationError(message);
}

function parseOrigin(value: string, variable = "APP_ORIGIN"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`${variable} is not a URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.hostname !== "localhost") {
    throw configError(`${variable} must be https (plain http is allowed only for localhost)`);
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    throw configError(`${variable} must be an origin only: scheme, host and optional port`);
  }
  return url.origin;
}

/**
 * RELATED_ORIGINS: origins separated by commas or spaces, each checked as APP_ORIGIN is. (Browsers
 * honour the first five distinct registrable domains of the list: WebAuthn Level 3, §5.11.)
 */
function parseRelatedOrigins(env: Env): string[] {
  const values = (env.RELATED_ORIGINS ?? "").split(/[\s,]+/).filter(Boolean);
  return [...new Set(values.map((value) => parseOrigin(value, "RELATED_ORIGINS")))];
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

/**
 * A recovery token's `aud`: the sessions' with a fragment, so a resource server that checks `aud`
 * but not `typ` still refuses it (tokens.ts).
 */
export const recoveryAudience = (audience: string) => `${audience}#recovery`;

/**
 * ID_TOKEN_AUDIENCE, by default the origin with a fragment, as the recovery audience is formed.
 * id_tokens and session JWTs are signed by the same keys, and `typ` alone tells them apart; many JWT
 * libraries skip `typ` unless asked. With its own `aud`, a backend's id_token is refused as a session
 * (and a session JWT as an id_token) by a verifier that pins only iss and aud, so sharing one is refused.
 */
function idTokenAudience(env: Env, origin: string, audience: string): string {
  const value = env.ID_TOKEN_AUDIENCE || `${origin}#id_token`;
  if (value === audience || value === recoveryAudience(audience)) {
    throw configError(
      `ID_TOKEN_AUDIENCE (${value}) must differ from the session JWTs' audience, JWT_AUDIENCE (${audience}), and from recovery tokens' (${recoveryAudience(audience)}): a verifier that skips typ would take one for the other`,
    );
  }
  return value;
}

/**
 * The app's origin, from the first of:
 * 1. `APP_ORIGIN`, when set: always wins (a custom domain, a local production build, a proxy).
 * 2. On Vercel (`VERCEL=1`), the deployment's own https URL: in production
 *    `VERCEL_PROJECT_PRODUCTION_URL` (the project's production domain, the same for every
 *    deployment), on previews `VERCEL_BRANCH_URL` (stable across a branch's deployments), else
 *    `VERCEL_URL` (this deployment only). `vercel dev` (VERCEL_ENV=development) goes on to 3.
 * 3. Outside production: http://localhost on the port the server listens on (`PORT`, which
 *    `next dev` sets to the port it actually took, 3001 when 3000 is busy), so another port
 *    just works.
 * In production with none of these, a ConfigurationError: never a silent default.
 */
export function resolveOrigin(env: Env = process.env): string {
  if (env.APP_ORIGIN) return parseOrigin(env.APP_ORIGIN);
  if (env.VERCEL === "1" && env.VERCEL_ENV !== "development") {
    const host =
      env.VERCEL_ENV === "production" ? env.VERCEL_PROJECT_PRODUCTION_URL : env.VERCEL_BRANCH_URL || env.VERCEL_URL;
    if (!host) {
      throw configError(
        `APP_ORIGIN is not set and Vercel gave no ${env.VERCEL_ENV === "production" ? "VERCEL_PROJECT_PRODUCTION_URL" : "VERCEL_BRANCH_URL or VERCEL_URL"}: set APP_ORIGIN to the https origin people open the app at`,
      );
    }
    return parseOrigin(`https://${host}`);
  }
  if (env.NODE_ENV === "production") {
    throw configError(
      "APP_ORIGIN must be set in production: the https origin people open the app at, e.g. https://app.example.com (http://localhost:<port> to try a production build on this machine)",
    );
  }
  return parseOrigin(`http://localhost:${env.PORT || DEFAULT_DEV_PORT}`);
}

export function loadVaultConfig(env: Env = process.env): VaultConfig {
  const origin = resolveOrigin(env);
  const host = new URL(origin).hostname;
  const rpId = env.RP_ID || host;
  const relatedOrigins = parseRelatedOrigins(env);
  // The browser enforces this too; failing at start-up beats every ceremony failing later. An RP ID
  // of another domain works only where that domain's /.well-known/webauthn lists this origin: the
  // deployments sharing an RP ID set the same RELATED_ORIGINS, so this one must be in it.
  if (host !== rpId && !host.endsWith(`.${rpId}`) && !relatedOrigins.includes(origin)) {
    throw configError(
      `RP_ID "${rpId}" must be ${host} or a parent domain of it, or list ${origin} in RELATED_ORIGINS (served by https://${rpId}/.well-known/webauthn)`,
    );
  }

  const secret = env.AUTH_SECRET ?? "";
  if (secret.length < MIN_SECRET_LENGTH) {
    throw configError(
      `AUTH_SECRET must be at least ${MIN_SECRET_LENGTH} characters (npm run setup writes one to .env; in production, set it in the host's environment)`,
    );
  }

  const signingAlgorithm = (env.JWT_ALGORITHM || "RS256") as SigningAlgorithm;
  if (!SIGNING_ALGORITHMS.includes(signingAlgorithm)) {
    throw configError(`JWT_ALGORITHM must be one of ${SIGNING_ALGORITHMS.join(", ")}`);
  }

  const audience = env.JWT_AUDIENCE || origin;

  return {
    origin,
    rpId,
    relatedOrigins,
    rpName: env.RP_NAME || "Next.js Passkeys",
    audience,
    idTokenAudience: idTokenAudience(env, origin, audience),
    secret,
    signingAlgorithm,
    sessionTtlSeconds: parseSeconds(env, "SESSION_TTL_SECONDS", 7 * 24 * 3600),
    sessionIdleTimeoutSeconds: parseSeconds(env, "SESSION_IDLE_TIMEOUT_SECONDS", 3 * 24 * 3600),
    // Longer than an hour would make step-up a formality.
    recentVerificationSeconds: parseSeconds(env, "RECENT_VERIFICATION_SECONDS", 300, 3600),
    challengeTtlSeconds: parseSeconds(env, "CHALLENGE_TTL_SECONDS", 300, 600),
    codeTtlSeconds: parseSeconds(env, "CODE_TTL_SECONDS", 60, MAX_CODE_TTL_SECONDS),
    // Long enough to carry it across one backend call; an hour at most.
    idTokenTtlSeconds: parseSeconds(env, "ID_TOKEN_TTL_SECONDS", 300, 3600),
  };
}

// --- Rate limits ------------------------------------------------------------------------------

/** At most `points` hits per fixed window of `seconds`, counted in the database (rate_limits). */
export interface RateLimitRule {
  points: number;
  seconds: number;
}

/**
 * The limits, by what they count. Per client address: `challenges` (every ceremony start stores
 * one, so this is also the cap on one client's outstanding challenges), `verifications`,
 * `codeExchanges` (signIn, reauthenticate), `emailLookups` (every request that looks an email up).
 * Per subject: `perEmail` (keyed by the email asked about: anyone who knows it can spend it, so its
 * window is short and it only ever delays) and `perAccount` (keyed by the session's user).
 */
export const RATE_LIMIT_RULES = [
  "challenges",
  "verifications",
  "codeExchanges",
  "emailLookups",
  "perEmail",
  "perAccount",
] as const;
export type RateLimitRuleName = (typeof RATE_LIMIT_RULES)[number];

export interface RateLimitConfig {
  /**
   * The request header the deployment's proxy sets to the client's address (and overwrites when a
   * client sends it), or null: then every request shares the "unknown" bucket.
   */
  trustedClientIpHeader: string | null;
  /** The shared "unknown" bucket gets this many times a single address's points. */
  unknownClientFactor: number;
  rules: Record<RateLimitRuleName, RateLimitRule>;
}

/**
 * Defaults sized for real use: one person signing in, failing a few times and retrying spends
 * fewer than 10 of any of them, and an office behind one NAT address has room for dozens of
 * sign-ins per window. An attacker from one address gets a challenge a second at most (against
 * ~160 a second unlimited), and 30 email probes per 10 minutes.
 */
export const DEFAULT_RATE_LIMITS: Record<RateLimitRuleName, RateLimitRule> = {
  // The window is the challenge lifetime (CHALLENGE_TTL_SECONDS): a fixed window then bounds one
  // client's unexpired challenges at 2 × points.
  challenges: { points: 60, seconds: 300 },
  verifications: { points: 60, seconds: 300 },
  codeExchanges: { points: 30, seconds: 300 },
  emailLookups: { points: 30, seconds: 600 },
  // Short: anyone can spend a victim's email bucket; it must only ever delay the victim.
  perEmail: { points: 5, seconds: 60 },
  perAccount: { points: 20, seconds: 60 },
};

const RULE_VARIABLES: Record<RateLimitRuleName, string> = {
  challenges: "RATE_LIMIT_CHALLENGES",
  verifications: "RATE_LIMIT_VERIFICATIONS",
  codeExchanges: "RATE_LIMIT_CODE_EXCHANGES",
  emailLookups: "RATE_LIMIT_EMAIL_LOOKUPS",
  perEmail: "RATE_LIMIT_PER_EMAIL",
  perAccount: "RATE_LIMIT_PER_ACCOUNT",
};

/** Vercel overwrites this header with the connecting client's address; a client cannot set it. */
export const VERCEL_CLIENT_IP_HEADER = "x-vercel-forwarded-for";

/** `points/seconds`, e.g. `60/300`: whole numbers, at least 1. */
function parseRule(env: Env, name: string, fallback: RateLimitRule): RateLimitRule {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const points = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || points < 1 || seconds < 1 || seconds > 86_400) {
    throw configError(`${name} must be "points/seconds", e.g. "60/300" (seconds at most 86400)`);
  }
  return { points, seconds };
}

export function loadRateLimitConfig(env: Env = process.env): RateLimitConfig {
  const header = (env.TRUSTED_CLIENT_IP_HEADER ?? "").trim().toLowerCase();
  if (header && !/^[a-z0-9-]+$/.test(header)) {
    throw configError("TRUSTED_CLIENT_IP_HEADER must be one header name, e.g. x-real-ip");
  }
  // "none" turns the Vercel default off (e.g. another proxy in front of Vercel that you trust instead).
  const trustedClientIpHeader =
    header === "none" ? null : header || (env.VERCEL === "1" ? VERCEL_CLIENT_IP_HEADER : null);

  const factor = env.RATE_LIMIT_UNKNOWN_CLIENT_FACTOR;
  const unknownClientFactor = factor === undefined || factor === "" ? 10 : Number(factor);
  if (!Number.isInteger(unknownClientFactor) || unknownClientFactor < 1 || unknownClientFactor > 1000) {
    throw configError("RATE_LIMIT_UNKNOWN_CLIENT_FACTOR must be a whole number between 1 and 1000");
  }

  const rules = Object.fromEntries(
    RATE_LIMIT_RULES.map((rule) => [rule, parseRule(env, RULE_VARIABLES[rule], DEFAULT_RATE_LIMITS[rule])]),
  ) as Record<RateLimitRuleName, RateLimitRule>;
  return { trustedClientIpHeader, unknownClientFactor, rules };
}
