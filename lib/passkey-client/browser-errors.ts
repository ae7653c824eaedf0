import { WebAuthnError } from "@simplewebauthn/browser";
import { errorTag } from "../contract/errors";
import { failure } from "./result";

/**
 * Turns what navigator.credentials threw into a typed result. A cancelled or timed-out dialog and
 * an aborted autofill are "@error/Cancelled" (callers stay quiet); everything else is
 * "@error/OtherPasskey" with the browser's own code, e.g. ERROR_INVALID_RP_ID.
 */
export function fromBrowserError(error: unknown) {
  const name = error instanceof Error ? error.name : "";
  const code = error instanceof WebAuthnError ? error.code : "ERROR_UNKNOWN";
  if (name === "NotAllowedError" || name === "AbortError" || code === "ERROR_CEREMONY_ABORTED") return ceremonyCancelled();
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return failure({ tag: errorTag("DuplicatePasskey"), code: "DUPLICATE_PASSKEY", message: "This device already has a passkey for this account." });
  }
  return failure({
    tag: errorTag("OtherPasskey"),
    code: "OTHER_PASSKEY",
    browserCode: code,
    message: error instanceof Error ? error.message : "The passkey request failed.",
  });
}

export const ceremonyCancelled = () =>
  failure({ tag: errorTag("Cancelled"), code: "CANCELLED", message: "The passkey request was cancelled." });

export const passkeyUnsupported = () =>
  failure({
    tag: errorTag("PasskeyUnsupported"),
    code: "PASSKEY_UNSUPPORTED",
    message: "This browser does not support passkeys. Try an up-to-date browser, or another device.",
  });
