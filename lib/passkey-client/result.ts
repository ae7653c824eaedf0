import { errorTag, type WireError } from "../contract/errors";

/**
 * Browser-side results. Nothing here throws for an expected failure: every call returns either
 * `{ ok: true, ... }` or `{ ok: false, error }` with the wire contract's error shape.
 */

export type PasskeyError = WireError;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: PasskeyError };

export const failure = (error: PasskeyError): { ok: false; error: PasskeyError } => ({ ok: false, error });

/** A person closing the passkey dialog is not an error to show them. */
export const isCancelled = (error: PasskeyError) => error.tag === errorTag("Cancelled");
