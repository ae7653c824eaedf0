/**
 * Every failure the vault reports is a VaultError with a stable tag and code. Route handlers turn
 * it into `{ error: { tag, code, message, ...details } }`; the message is written for the person
 * using the app. Library messages (SimpleWebAuthn, Prisma, jose) go to the server log only.
 */

const CATALOGUE = {
  PasskeyUnsupported: { code: "PASSKEY_UNSUPPORTED", status: 400 },
  OrphanedPasskey: { code: "ORPHANED_PASSKEY", status: 404 },
  DuplicatePasskey: { code: "DUPLICATE_PASSKEY", status: 409 },
  DuplicateAccount: { code: "DUPLICATE_ACCOUNT", status: 409 },
  OtherPasskey: { code: "OTHER_PASSKEY", status: 400 },
  Verification: { code: "VERIFICATION_FAILED", status: 401 },
  InvalidToken: { code: "INVALID_TOKEN", status: 401 },
  InvalidCode: { code: "INVALID_CODE", status: 401 },
  Unauthenticated: { code: "UNAUTHENTICATED", status: 401 },
  BadRequest: { code: "BAD_REQUEST", status: 400 },
  Forbidden: { code: "FORBIDDEN", status: 403 },
  ReauthenticationRequired: { code: "REAUTHENTICATION_REQUIRED", status: 403 },
  RateLimited: { code: "RATE_LIMITED", status: 429 },
  Unavailable: { code: "UNAVAILABLE", status: 503 },
} as const;

export type ErrorKind = keyof typeof CATALOGUE;
export type ErrorTag = `@error/${ErrorKind}`;

/** Typed fields some errors carry (DESIGN.md: credentialId, rpId, retryAfter, …). */
export interface ErrorDetails {
  credentialId?: string;
  rpId?: string;
  retryAfter?: number;
  /** The browser's own code for OtherPasskey, e.g. ERROR_INVALID_RP_ID. */
  browserCode?: string;
  /** Which input was wrong, for BadRequest. */
  field?: string;
}

export interface ErrorBody {
  error: { tag: ErrorTag; code: string; message: string } & ErrorDetails;
}

/**
 * Marks vault errors across module copies. Next.js may load this module more than once (one copy
 * per route bundle) while the vault instance is shared through globalThis, so an error thrown by
 * one copy's class is not `instanceof` another copy's. A registered symbol is the same everywhere.
 */
const BRAND = Symbol.for("nextjs-passkeys/VaultError");

export class VaultError extends Error {
  readonly [BRAND] = true;
  readonly kind: ErrorKind;
  readonly tag: ErrorTag;
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { details?: ErrorDetails; status?: number; code?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "VaultError";
    this.kind = kind;
    this.tag = `@error/${kind}`;
    this.code = options.code ?? CATALOGUE[kind].code;
    this.status = options.status ?? CATALOGUE[kind].status;
    this.details = options.details ?? {};
  }

  toJSON(): ErrorBody {
    return { error: { tag: this.tag, code: this.code, message: this.message, ...this.details } };
  }
}

/** Use this, not `instanceof`: see BRAND. */
export function isVaultError(value: unknown): value is VaultError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export const badRequest = (message: string, field?: string) =>
  new VaultError("BadRequest", message, { details: field ? { field } : {} });

/** The one answer for a WebAuthn response that does not check out, whatever the reason. */
export const verificationFailed = (cause?: unknown) =>
  new VaultError("Verification", "The passkey response could not be verified. Please try again.", {
    cause,
  });
