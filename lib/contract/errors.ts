/**
 * The error half of the wire contract: every error the passkey routes and server actions answer,
 * and the body shape they answer it in. Server (`lib/vault/errors.ts`) and browser
 * (`lib/passkey-client`) both import this module, so a tag cannot drift between them. Types and
 * constants only: nothing here may pull server code into the browser bundle.
 *
 * Body: `{ "error": { "tag": "@error/OrphanedPasskey", "code": "ORPHANED_PASSKEY", "message": "…",
 * ...details } }`. Switch on `tag` (or `code`); `message` is written for the person using the app.
 */

/** Errors the server sends: kind → stable code and HTTP status. */
export const SERVER_ERRORS = {
  /** The browser has no WebAuthn (also reported by the browser client before any request). */
  PasskeyUnsupported: { code: "PASSKEY_UNSUPPORTED", status: 400 },
  /** The credential is unknown here (deleted): `credentialId` and `rpId` say which, for the Signal API. */
  OrphanedPasskey: { code: "ORPHANED_PASSKEY", status: 404 },
  /** This credential is already registered. */
  DuplicatePasskey: { code: "DUPLICATE_PASSKEY", status: 409 },
  /** An account with this email exists (sign-up, change of email). */
  DuplicateAccount: { code: "DUPLICATE_ACCOUNT", status: 409 },
  /** The authenticator or browser failed in another way; `browserCode` holds e.g. ERROR_INVALID_RP_ID. */
  OtherPasskey: { code: "OTHER_PASSKEY", status: 400 },
  /** The WebAuthn response does not check out (any reason: the reason goes to the server log). */
  Verification: { code: "VERIFICATION_FAILED", status: 401 },
  /** The ceremony token expired, was used, or is unknown: start the ceremony again. */
  InvalidToken: { code: "INVALID_TOKEN", status: 401 },
  /** The single-use code expired, was used, is unknown, or is for another purpose or session. */
  InvalidCode: { code: "INVALID_CODE", status: 401 },
  /** No live session. */
  Unauthenticated: { code: "UNAUTHENTICATED", status: 401 },
  /** Malformed input; `field` names the culprit. Also 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE. */
  BadRequest: { code: "BAD_REQUEST", status: 400 },
  /** No such passkey or session on the signed-in account (another account's ids look the same). */
  NotFound: { code: "NOT_FOUND", status: 404 },
  /** Not allowed: a cross-site request, or an operation the account's state refuses (e.g. the last passkey). */
  Forbidden: { code: "FORBIDDEN", status: 403 },
  /** The operation needs a user-verified ceremony from the last few minutes: run step-up, then retry. */
  ReauthenticationRequired: { code: "REAUTHENTICATION_REQUIRED", status: 403 },
  /** Too many requests; `retryAfter` seconds (also the Retry-After header). */
  RateLimited: { code: "RATE_LIMITED", status: 429 },
  /** Something failed on the server's side (logged there). */
  Unavailable: { code: "UNAVAILABLE", status: 503 },
} as const;

/** Outcomes only the browser client produces: never sent by the server. */
export const CLIENT_ERRORS = {
  /** The person closed the passkey dialog, or it timed out, or autofill was aborted: not an error to show. */
  Cancelled: { code: "CANCELLED" },
} as const;

export type ServerErrorKind = keyof typeof SERVER_ERRORS;
export type ClientErrorKind = keyof typeof CLIENT_ERRORS;
export type ErrorKind = ServerErrorKind | ClientErrorKind;
export type ErrorTag = `@error/${ErrorKind}`;

/** Typed fields some errors carry. */
export interface ErrorDetails {
  credentialId?: string;
  rpId?: string;
  retryAfter?: number;
  /** The browser's own code for OtherPasskey, e.g. ERROR_INVALID_RP_ID. */
  browserCode?: string;
  /** Which input was wrong, for BadRequest. */
  field?: string;
}

/** The `error` member of an error body, as the browser client hands it to the page. */
export type WireError = { tag: ErrorTag; code: string; message: string } & ErrorDetails;

/** An error response body. */
export interface ErrorBody {
  error: WireError;
}

export const errorTag = <K extends ErrorKind>(kind: K): `@error/${K}` => `@error/${kind}`;

/** True when `value` is an error body in this contract's shape (a tag it knows, a string message). */
export function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: { tag?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.tag !== "string" || typeof error.message !== "string") return false;
  const kind = error.tag.replace(/^@error\//, "");
  return error.tag.startsWith("@error/") && (kind in SERVER_ERRORS || kind in CLIENT_ERRORS);
}
