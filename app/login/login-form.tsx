"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { authenticateWithPasskey, supportsAutofill, type AuthenticateOptions } from "@/lib/passkey-client/authenticate";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signalUnknownCredential } from "@/lib/passkey-client/signals";
import { signIn } from "./actions";
import { buttonClass, ErrorMessage, inputClass } from "../ui";

const NO_PASSKEY_MESSAGE =
  "No passkey was used. If this device has no passkey for that email, try the device where you created it, or create an account.";

const ORPHANED_MESSAGE =
  "That passkey was deleted from this site, so it can't sign you in. We've asked your device to forget it. Sign in with another passkey, or create a new account.";

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<PasskeyError | null>(null);
  const [pending, startTransition] = useTransition();
  const autofillStarted = useRef(false);

  async function finish(options: AuthenticateOptions) {
    const result = await authenticateWithPasskey(options);
    if (!result.ok) {
      if (isCancelled(result.error)) {
        // The browser reports "no passkey for this account here" as a cancel. After an email was
        // typed, silence would leave the person stuck, so say what may have happened.
        if (options.email) setError({ ...result.error, message: NO_PASSKEY_MESSAGE });
        return;
      }
      if (result.error.tag === "@error/OrphanedPasskey" && result.error.rpId && result.error.credentialId) {
        await signalUnknownCredential(result.error.rpId, result.error.credentialId);
        setError({ ...result.error, message: ORPHANED_MESSAGE });
        return;
      }
      setError(result.error);
      return;
    }
    const failed = await signIn(result.code, next);
    setError(failed.error);
  }

  // Autofill: offer passkeys in the email field's suggestions, started once per page load. The ref
  // keeps React StrictMode's double effect from starting a second request that aborts the first.
  useEffect(() => {
    if (autofillStarted.current) return;
    autofillStarted.current = true;
    // Not a transition: the autofill request waits, invisibly, until the person picks a passkey.
    void supportsAutofill().then((supported) => {
      if (supported) void finish({ autofill: true });
    });
    // Once per page load on purpose: re-running when `finish` changes (every render) would start
    // a new autofill request, which aborts the pending one.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, []);

  function onPasskey() {
    setError(null);
    startTransition(() => finish({}));
  }

  function onEmail(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setError(null);
    startTransition(() => finish({ email }));
  }

  return (
    <div className="space-y-6">
      <button type="button" onClick={onPasskey} className={buttonClass}>
        Sign in with a passkey
      </button>
      <form onSubmit={onEmail} className="space-y-3">
        <label className="block space-y-1">
          <span className="text-sm font-medium">Or enter your email</span>
          <input name="email" type="email" required autoComplete="username webauthn" className={inputClass} />
        </label>
        <button type="submit" className="w-full rounded-lg border border-slate-300 px-4 py-2 font-medium">
          Continue
        </button>
      </form>
      <ErrorMessage error={error} />
      {pending ? <p className="text-sm text-slate-500" aria-live="polite">Waiting for your passkey…</p> : null}
    </div>
  );
}
