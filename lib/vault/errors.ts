/**
 * Every failure the vault reports is a VaultError with a stable tag and code from the wire contract
 * (`lib/contract/errors.ts`). Route handlers turn it into `{ error: { tag, code, message, ...details } }`;
 * the message is written for the person using the app. Library messages (SimpleWebAuthn, Prisma,
 * jose) go to the server log only.
 */

import { SERVER_ERRORS, type ErrorBody, type ErrorDetails, type ServerErrorKind } from "../contract/errors";

export type { ErrorBody, ErrorDetails } from "../contract/errors";
export type ErrorKind = ServerErrorKind;
export type ErrorTag = `@error/${ErrorKind}`;

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
    this.code = options.code ?? SERVER_ERRORS[kind].code;
    this.status = options.status ?? SERVER_ERRORS[kind].status;
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
