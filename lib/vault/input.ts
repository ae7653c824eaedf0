import type {
  AuthenticationResponseJSON,
  AuthenticationExtensionsClientOutputs,
  AuthenticatorTransport,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { badRequest } from "./errors";

/**
 * Parsers for everything that reaches the vault from outside. Each returns a fresh, typed object
 * holding only the fields it knows, or throws BadRequest naming the field. Unknown fields are
 * refused rather than ignored, so a typo in a client is an error, not a silent default.
 */

type Json = Record<string, unknown>;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/**
 * WebAuthn's limit on a credential id (§7.1: "credentialId is at most 1023 bytes"), which
 * SimpleWebAuthn leaves to the app. Judged on the decoded bytes, the unit the spec counts in; the
 * string bound before it only stops us decoding something huge.
 */
export const MAX_CREDENTIAL_ID_BYTES = 1023;
const MAX_CREDENTIAL_ID_CHARS = 2_048;
/** Generous bounds: real authenticators stay far below them. */
const MAX_WEBAUTHN_FIELD = 16_384;
const TOKEN_LENGTH = 43; // 32 bytes, base64url

export function object(value: unknown, field: string, allowed: readonly string[]): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`${field} must be a JSON object`, field);
  }
  const unknownKey = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknownKey) throw badRequest(`Unexpected field "${unknownKey}"`, unknownKey);
  return value as Json;
}

function string(value: unknown, field: string, max: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw badRequest(`${field} must be a non-empty string of at most ${max} characters`, field);
  }
  return value;
}

function optional<T>(value: unknown, parse: (v: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : parse(value);
}

function base64url(value: unknown, field: string, max = MAX_WEBAUTHN_FIELD): string {
  const text = string(value, field, max);
  if (!BASE64URL.test(text)) throw badRequest(`${field} must be base64url`, field);
  return text;
}

function oneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
  if (typeof value !== "string" || !options.includes(value as T)) {
    throw badRequest(`${field} must be one of ${options.join(", ")}`, field);
  }
  return value as T;
}

/** An opaque ceremony token or code as the vault issued it. */
export function secretToken(value: unknown, field: "token" | "code"): string {
  const text = base64url(value, field, TOKEN_LENGTH);
  if (text.length !== TOKEN_LENGTH) throw badRequest(`${field} is malformed`, field);
  return text;
}

/** One @, a non-empty local part, a domain of two or more non-empty labels. */
const EMAIL = /^[^@]+@[^@.]+(?:\.[^@.]+)+$/;
/**
 * What makes a string more than one plain address to a mail library (nodemailer parses `to` as an
 * address list): quotes, angle brackets, comments, list and group separators, escapes, domain
 * literals. With them `"Name"<victim@example.com>` or `a@example.com,b@example.com` would be a new
 * account's "unique" email while the mail goes to someone else, or to two people.
 */
const ADDRESS_SPECIALS = /["<>(),;:\\[\]]/;
/**
 * Whitespace, separators, control, format (zero-width, bidi override), private-use, unassigned
 * and lone-surrogate characters: an address people can read is printable, and a NUL would reach
 * PostgreSQL as a driver error instead of this BadRequest.
 */
const UNPRINTABLE = /[\p{C}\p{Z}]/u;

/**
 * A single plain email address, trimmed and lower-cased (the form accounts are stored and looked
 * up in). Every email that enters the vault comes through here: sign-up, email-first sign-in,
 * recovery, sign-in by emailed code, change of email.
 */
export function email(value: unknown): string {
  const text = string(value, "email", 254).trim().toLowerCase();
  if (!EMAIL.test(text) || ADDRESS_SPECIALS.test(text) || UNPRINTABLE.test(text)) {
    throw badRequest("email must be a single plain email address", "email");
  }
  return text;
}

/** Longest display name or passkey name, in characters (code points). */
export const MAX_NAME_LENGTH = 64;

/**
 * A name people read (display name, passkey name): NFC-normalised and trimmed, at most
 * MAX_NAME_LENGTH characters, with no control characters and no invisible format characters
 * (bidi overrides, zero-width joiners and spaces), which could make one name pass for another in
 * this app's pages or an authenticator's account picker.
 */
function name(value: unknown, field: string): string {
  if (typeof value !== "string") throw badRequest(`${field} must be text`, field);
  const text = value.normalize("NFC").trim();
  if (!text || [...text].length > MAX_NAME_LENGTH) {
    throw badRequest(`${field} must be 1 to ${MAX_NAME_LENGTH} characters`, field);
  }
  if (/[\p{Cc}\p{Cf}]/u.test(text)) throw badRequest(`${field} must be printable text`, field);
  return text;
}

export const displayName = (value: unknown) => name(value, "displayName");
export const passkeyName = (value: unknown) => name(value, "name");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A row id the vault issued (passkey, session): a lower-case UUID. */
export function id(value: unknown, field: "passkeyId" | "sessionId"): string {
  if (typeof value !== "string" || !UUID.test(value)) throw badRequest(`${field} is malformed`, field);
  return value;
}

/** `true` or absent; anything else is a mistake worth reporting. */
export function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (value !== true) throw badRequest(`${field} must be true when present`, field);
  return true;
}

export const USER_VERIFICATION = ["required", "preferred", "discouraged"] as const;
export type UserVerification = (typeof USER_VERIFICATION)[number];
export const userVerification = (value: unknown) => oneOf(value, "userVerification", USER_VERIFICATION);

export const MEDIATION = ["conditional", "optional", "required", "silent"] as const;
export type Mediation = (typeof MEDIATION)[number];
export const mediation = (value: unknown) => oneOf(value, "mediation", MEDIATION);

const TRANSPORTS: readonly AuthenticatorTransport[] = ["ble", "hybrid", "internal", "nfc", "usb"];

function transports(value: unknown): AuthenticatorTransport[] {
  if (!Array.isArray(value) || value.length > 16) {
    throw badRequest("response.transports must be a short array", "response.transports");
  }
  // Unknown future transports are dropped, not refused: browsers add them over time.
  return value.filter((t): t is AuthenticatorTransport => TRANSPORTS.includes(t));
}

function credentialEnvelope(value: unknown, innerKeys: readonly string[]) {
  const outer = object(value, "response", [
    "id",
    "rawId",
    "type",
    "response",
    "authenticatorAttachment",
    "clientExtensionResults",
  ]);
  const id = base64url(outer.id, "response.id", MAX_CREDENTIAL_ID_CHARS);
  if (Buffer.from(id, "base64url").length > MAX_CREDENTIAL_ID_BYTES) {
    throw badRequest(`response.id must be at most ${MAX_CREDENTIAL_ID_BYTES} bytes`, "response.id");
  }
  if (outer.rawId !== id) throw badRequest("response.rawId must equal response.id", "response.rawId");
  if (outer.type !== "public-key") throw badRequest('response.type must be "public-key"', "response.type");
  const attachment = optional(outer.authenticatorAttachment, (v) =>
    oneOf(v, "response.authenticatorAttachment", ["platform", "cross-platform"] as const),
  );
  const extensions = optional(outer.clientExtensionResults, (v) => {
    if (typeof v !== "object" || Array.isArray(v)) {
      throw badRequest("response.clientExtensionResults must be an object", "response.clientExtensionResults");
    }
    return v as AuthenticationExtensionsClientOutputs;
  });
  const inner = object(outer.response, "response.response", innerKeys);
  const envelope = {
    id,
    rawId: id,
    type: "public-key" as const,
    authenticatorAttachment: attachment,
    clientExtensionResults: extensions ?? {},
  };
  return { envelope, inner };
}

export function registrationResponse(value: unknown): RegistrationResponseJSON {
  // The browser also sends authenticatorData, publicKey and publicKeyAlgorithm: derived from the
  // attestation, which is all the server verifies, so they are accepted and dropped.
  const { envelope, inner } = credentialEnvelope(value, [
    "clientDataJSON",
    "attestationObject",
    "authenticatorData",
    "transports",
    "publicKeyAlgorithm",
    "publicKey",
  ]);
  return {
    ...envelope,
    response: {
      clientDataJSON: base64url(inner.clientDataJSON, "response.response.clientDataJSON"),
      attestationObject: base64url(inner.attestationObject, "response.response.attestationObject"),
      transports: optional(inner.transports, transports),
    },
  };
}

export function authenticationResponse(value: unknown): AuthenticationResponseJSON {
  const { envelope, inner } = credentialEnvelope(value, [
    "clientDataJSON",
    "authenticatorData",
    "signature",
    "userHandle",
  ]);
  return {
    ...envelope,
    response: {
      clientDataJSON: base64url(inner.clientDataJSON, "response.response.clientDataJSON"),
      authenticatorData: base64url(inner.authenticatorData, "response.response.authenticatorData"),
      signature: base64url(inner.signature, "response.response.signature"),
      userHandle: optional(inner.userHandle, (v) => base64url(v, "response.response.userHandle", 128)),
    },
  };
}
