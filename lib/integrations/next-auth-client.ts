import { signIn } from "next-auth/react";
import { SERVER_ERRORS, errorTag, type ServerErrorKind } from "../contract/errors";
import { authenticateWithPasskey, type AuthenticateOptions } from "../passkey-client/authenticate";
import { failure, type PasskeyError, type Result } from "../passkey-client/result";

/**
 * The browser half of the next-auth integration (the server half: lib/integrations/next-auth.ts).
 * The same passkey ceremony as the app's own sign-in (authorize → the authenticator → verify, which
 * answers a single-use code), then next-auth's `signIn` with that code instead of the app's signIn
 * server action. next-auth then sets its session cookie; nothing is redirected (`redirect: false`),
 * so the page decides where to go.
 */
export async function signInWithPasskey(options: AuthenticateOptions = {}): Promise<Result<object>> {
  const ceremony = await authenticateWithPasskey(options);
  if (!ceremony.ok) return ceremony;
  // "passkey": the provider's id (PASSKEY_PROVIDER_ID on the server).
  const answer = await signIn("passkey", { code: ceremony.code, redirect: false });
  if (answer?.ok && !answer.error) return { ok: true };
  return failure(fromNextAuthError(answer?.error));
}

/**
 * next-auth answers a refused sign-in with a string: "CredentialsSignin" when `authorize` returned
 * null (the code was used, expired, unknown or another browser's), or what `authorize` threw, which
 * is always one of our tags. Anything else (next-auth unreachable, misconfigured) is Unavailable.
 */
export function fromNextAuthError(error: string | null | undefined): PasskeyError {
  const kind: ServerErrorKind = error === "CredentialsSignin" ? "InvalidCode" : (thrownKind(error) ?? "Unavailable");
  return { tag: errorTag(kind), code: SERVER_ERRORS[kind].code, message: "The sign-in with next-auth did not finish." };
}

/** "@error/RateLimited" → "RateLimited", for the contract's server tags only. */
function thrownKind(error: string | null | undefined): ServerErrorKind | undefined {
  const kind = /^@error\/(\w+)$/.exec(error ?? "")?.[1];
  return kind && Object.hasOwn(SERVER_ERRORS, kind) ? (kind as ServerErrorKind) : undefined;
}
