import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { postJson } from "./api";
import { ceremonyCancelled, fromBrowserError, passkeyUnsupported } from "./browser-errors";
import type { Result } from "./result";

type Start = Result<{ token: string; options: PublicKeyCredentialRequestOptionsJSON }>;

export interface AuthenticateOptions {
  /** Email-first login: only this account's passkeys are offered. */
  email?: string;
  /** Autofill (conditional mediation): resolves when the person picks a passkey in the username field. */
  autofill?: boolean;
  /** Step-up: the signed-in user's passkeys only, user verification required (see reauthenticate.ts). */
  reauthenticate?: boolean;
  /**
   * Aborted when the person clicks Cancel (see use-ceremony.ts). Checked once the options arrive,
   * so a cancel during that request stops the browser prompt from opening at all.
   */
  signal?: AbortSignal;
}

export const supportsAutofill = () => browserSupportsWebAuthnAutofill();

/**
 * Signs in with a passkey: authorize → the authenticator → verify, returning the code for the
 * signIn server action. Starting a modal ceremony aborts a pending autofill one (SimpleWebAuthn's
 * abort service does this), so the button and autofill never fight over the authenticator.
 */
export async function authenticateWithPasskey(options: AuthenticateOptions = {}): Promise<Result<{ code: string }>> {
  if (!browserSupportsWebAuthn()) return passkeyUnsupported();
  const start: Start = await postJson("/api/passkey/authentication/authorize", {
    ...(options.email ? { email: options.email } : {}),
    ...(options.autofill ? { mediation: "conditional" } : {}),
    ...(options.reauthenticate ? { reauthenticate: true } : {}),
  });
  if (!start.ok) return start;
  if (options.signal?.aborted) return ceremonyCancelled();
  let response;
  try {
    response = await startAuthentication({ optionsJSON: start.options, useBrowserAutofill: options.autofill });
  } catch (error) {
    return fromBrowserError(error);
  }
  return postJson<{ code: string }>("/api/passkey/authentication/verify", { token: start.token, response });
}
