import type { WebAuthnErrorCode } from "@simplewebauthn/browser";
import type { ErrorKind } from "../contract/errors";
import type { PasskeyError } from "./result";

/**
 * What to tell the person when a passkey call fails: plain words and the next step. The wire
 * error's own `message` is a safe fallback, but BadRequest's is developer wording ("email must be
 * an email address") and the browser's are worse, so every tag and browser code has its own text.
 * The tables are typed as complete Records: a new tag in lib/contract/errors.ts, or a new code in
 * a @simplewebauthn/browser upgrade, fails the type check until it has words here.
 */

export type NextStep =
  /** Somewhere to go: "Sign in instead" → /login. */
  | { kind: "link"; label: string; href: string }
  /** Run the same thing again; the page decides what that is. */
  | { kind: "retry"; label: string };

export interface ErrorMessage {
  title?: string;
  message: string;
  action?: NextStep;
  /** For BadRequest: the form field this is about. The page shows the message next to it. */
  field?: string;
}

const retry: NextStep = { kind: "retry", label: "Try again" };
const signInLink: NextStep = { kind: "link", label: "Sign in", href: "/login" };
const createAccountLink: NextStep = { kind: "link", label: "Create an account", href: "/register" };

const SITE_SETUP = "This site isn't set up for passkeys at this address. Open it at its usual address, or tell the site's owner.";

/** Browser codes from @simplewebauthn/browser's WebAuthnErrorCode (OtherPasskey's browserCode). */
export const BROWSER_MESSAGES: Record<WebAuthnErrorCode, ErrorMessage> = {
  ERROR_CEREMONY_ABORTED: { message: "The passkey request was cancelled." },
  ERROR_INVALID_DOMAIN: { title: "Passkeys can't be used here", message: SITE_SETUP },
  ERROR_INVALID_RP_ID: { title: "Passkeys can't be used here", message: SITE_SETUP },
  ERROR_INVALID_USER_ID_LENGTH: { title: "Something went wrong", message: "This site sent your device a request it couldn't use. Try again later.", action: retry },
  ERROR_MALFORMED_PUBKEYCREDPARAMS: { title: "Something went wrong", message: "This site sent your device a request it couldn't use. Try again later.", action: retry },
  ERROR_AUTHENTICATOR_GENERAL_ERROR: {
    title: "Your device couldn't finish",
    message: "Your device or password manager reported a problem. Try again, or use another device.",
    action: retry,
  },
  ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT: {
    title: "This security key can't hold a passkey",
    message: "Use your phone, computer or password manager instead, or a newer security key.",
  },
  ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT: {
    title: "This security key can't check it's you",
    message: "It has no PIN, fingerprint or face check. Use your phone, computer or password manager instead.",
  },
  ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED: {
    title: "You already have a passkey here",
    message: "This device already has a passkey for this account. Sign in with it instead.",
    action: signInLink,
  },
  ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG: {
    title: "This device can't make this kind of passkey",
    message: "Try your phone, another computer or a password manager.",
  },
  ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE: {
    message: "Your device couldn't create a passkey without asking you first. Create one from your account page.",
  },
  ERROR_SIGNAL_INVALID_ARGUMENT: { message: "Your device couldn't update its list of passkeys for this site. Nothing else is affected." },
  ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY: {
    title: "Your browser stopped the passkey request",
    message: "Try again. If it keeps happening, update your browser or use another device.",
    action: retry,
  },
};

const UNKNOWN_BROWSER_ERROR: ErrorMessage = BROWSER_MESSAGES.ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY;

/** Friendly wording per BadRequest `field` (the server names them; see lib/vault/input.ts). */
export const FIELD_MESSAGES: Record<string, string> = {
  email: "Enter an email address, like name@example.com.",
  displayName: "Use up to 64 letters, numbers, spaces or punctuation.",
  name: "Use up to 64 letters, numbers, spaces or punctuation.",
  confirmation: "Type your email address exactly as it appears on your account.",
  code: "Enter the 6-digit code from the email.",
};

/** Every tag of the contract, server and client. */
const TAG_MESSAGES: Record<ErrorKind, (error: PasskeyError) => ErrorMessage> = {
  PasskeyUnsupported: () => ({
    title: "This browser can't use passkeys",
    message: "This browser does not support passkeys. Open this page in an up-to-date Chrome, Safari, Edge or Firefox, or on another device.",
  }),
  OrphanedPasskey: () => ({
    title: "That passkey no longer works here",
    message: "That passkey was deleted from this site, so it can't sign you in. Sign in with another passkey, or create a new account.",
    action: createAccountLink,
  }),
  DuplicatePasskey: () => BROWSER_MESSAGES.ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED,
  DuplicateAccount: () => ({
    title: "That email already has an account",
    message: "Sign in with its passkey instead, or use another email address.",
    action: { kind: "link", label: "Sign in instead", href: "/login" },
  }),
  OtherPasskey: (error) =>
    (error.browserCode && BROWSER_MESSAGES[error.browserCode as WebAuthnErrorCode]) || UNKNOWN_BROWSER_ERROR,
  Verification: () => ({
    title: "Your passkey couldn't be verified",
    message: "Try again. If it keeps failing, use another passkey or device.",
    action: retry,
  }),
  InvalidToken: () => ({
    title: "That took too long",
    message: "The request expired before your passkey answered. Try again.",
    action: retry,
  }),
  InvalidCode: () => ({
    title: "That took too long",
    message: "Your sign-in expired before it finished. Try again.",
    action: retry,
  }),
  Unauthenticated: () => ({
    title: "You're signed out",
    message: "Your session ended. Sign in again to continue.",
    action: signInLink,
  }),
  BadRequest: (error) => {
    const field = error.field && FIELD_MESSAGES[error.field] ? error.field : undefined;
    if (field) return { message: FIELD_MESSAGES[field]!, field };
    return {
      title: "Something went wrong",
      message: "Your browser sent something this site couldn't read. Reload the page and try again.",
      action: retry,
    };
  },
  NotFound: () => ({
    title: "Already gone",
    message: "That no longer exists on your account. Reload the page to see where things stand.",
    action: retry,
  }),
  Forbidden: () => ({
    title: "That isn't allowed",
    message: "This request was refused. Reload the page and try again.",
    action: retry,
  }),
  ReauthenticationRequired: () => ({
    title: "Confirm it's you",
    message: "For your security, this change needs a recent sign-in with your passkey. Sign in again, then try once more.",
    action: { kind: "link", label: "Sign in again", href: "/login?next=%2Faccount" },
  }),
  RateLimited: (error) => ({
    title: "Too many attempts",
    message:
      error.retryAfter && error.retryAfter > 0
        ? `Wait ${error.retryAfter} second${error.retryAfter === 1 ? "" : "s"}, then try again.`
        : "Wait a moment, then try again.",
  }),
  Unavailable: (error) =>
    error.code === "NETWORK"
      ? { title: "You seem to be offline", message: "This page couldn't reach the site. Check your connection, then try again.", action: retry }
      : { title: "Something went wrong on our side", message: "It's not you. Try again in a moment.", action: retry },
  Cancelled: () => ({ message: "The passkey request was cancelled." }),
};

/** Plain words and a next step for a wire error. Unknown tags fall back to the error's own message. */
export function describeError(error: PasskeyError): ErrorMessage {
  const kind = error.tag.replace(/^@error\//, "") as ErrorKind;
  const describe = TAG_MESSAGES[kind] as ((error: PasskeyError) => ErrorMessage) | undefined;
  return describe ? describe(error) : { message: error.message };
}
