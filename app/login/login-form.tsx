"use client";

import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, Button, ErrorAlert, Field, type AlertTone } from "@/components/ui";
import { authenticateWithPasskey, supportsAutofill, type AuthenticateOptions } from "@/lib/passkey-client/authenticate";
import { describeError, type ErrorMessage } from "@/lib/passkey-client/messages";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signalUnknownCredential } from "@/lib/passkey-client/signals";
import { useCeremony, useWebAuthnSupported } from "@/lib/passkey-client/use-ceremony";
import { CeremonyProgress } from "@/components/auth/ceremony-progress";
import { signIn } from "./actions";

// Only a browser without WebAuthn shows the emailed-code form: the others never download it.
const EmailSignInForm = lazy(() => import("./email-sign-in-form").then((module) => ({ default: module.EmailSignInForm })));

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Browsers report "this device has no passkey for that account" exactly like "the person closed
 * the prompt": both are a NotAllowedError. After an email was typed, silence could leave someone
 * stuck, so we say what may have happened, without claiming which.
 */
const NO_PASSKEY_USED: ErrorMessage = {
  title: "No passkey was used",
  message:
    "If this device or password manager has no passkey for that email, use the one where you created it, or create an account. Otherwise, try again.",
  action: { kind: "link", label: "Create an account", href: "/register" },
};

export function LoginForm({ next }: { next: string }) {
  // What the alert shows: the error, and words and tone when they differ from its usual ones.
  const [shown, setShown] = useState<{ error: PasskeyError; words?: ErrorMessage; tone?: AlertTone } | null>(null);
  const [emailError, setEmailError] = useState<string | null>(null);
  // Known up front, so the person is told before they try, not after.
  const unsupported = !useWebAuthnSupported();
  const [lastAttempt, setLastAttempt] = useState<AuthenticateOptions>({});
  const ceremony = useCeremony();
  const autofillStarted = useRef(false);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  const continueButton = useRef<HTMLButtonElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  function show(error: PasskeyError | null, words?: ErrorMessage, tone?: AlertTone) {
    setShown(error ? { error, words, tone } : null);
  }

  async function finish(options: AuthenticateOptions) {
    const result = await authenticateWithPasskey(options);
    if (!result.ok) {
      if (isCancelled(result.error)) {
        // Our own Cancel button, or the autofill request a button press replaced: say nothing.
        if (options.email && !options.signal?.aborted) show(result.error, NO_PASSKEY_USED, "info");
        return;
      }
      if (result.error.tag === "@error/OrphanedPasskey" && result.error.rpId && result.error.credentialId) {
        const forgotten = await signalUnknownCredential(result.error.rpId, result.error.credentialId);
        const words = describeError(result.error);
        return show(result.error, forgotten ? { ...words, message: `${words.message} We've asked your device to forget it.` } : words);
      }
      const words = describeError(result.error);
      if (words.field === "email") return setEmailError(words.message);
      return show(result.error);
    }
    const failed = await signIn(result.code, next);
    show(failed.error);
  }

  useEffect(() => {
    if (unsupported) return;
    // Autofill: offer passkeys in the email field's suggestions, started once per page load. The
    // ref keeps React StrictMode's double effect from starting a second request that aborts the
    // first. Not run through `ceremony`: it waits, invisibly, until the person picks a passkey, and
    // the buttons' modal ceremony aborts it (SimpleWebAuthn allows one ceremony at a time).
    if (autofillStarted.current) return;
    autofillStarted.current = true;
    void supportsAutofill().then((supported) => {
      if (supported) void finish({ autofill: true });
    });
    // Once per page load on purpose (the ref guards it): re-running when `finish` changes (every
    // render) would start a new autofill request, which aborts the pending one.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [unsupported]);

  function start(options: Omit<AuthenticateOptions, "signal">) {
    show(null);
    setEmailError(null);
    setLastAttempt(options);
    ceremony.run((signal) => finish({ ...options, signal }));
  }

  function cancel() {
    ceremony.cancel();
    // The Cancel button is about to disappear: put focus back where the person started.
    (lastAttempt.email ? continueButton : passkeyButton).current?.focus();
  }

  function onEmail(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    const problem = !email ? "Enter your email address." : !EMAIL.test(email) ? "Enter an email address, like name@example.com." : null;
    if (problem) {
      setEmailError(problem);
      emailInput.current?.focus(); // the field's error is read out with it (aria-describedby)
      return;
    }
    start({ email });
  }

  if (unsupported) {
    // No passkeys in this browser: an emailed code still signs in (a session that cannot make
    // sensitive changes), so the page is never a dead end.
    return (
      <div className="space-y-6">
        <Alert tone="info" title="This browser can't use passkeys">
          Sign in with a code sent to your confirmed email instead. To add or remove passkeys, change your email or delete your
          account, use a browser that supports passkeys.
        </Alert>
        <Suspense>
          <EmailSignInForm next={next} linkToken={null} />
        </Suspense>
      </div>
    );
  }

  const busyWithButton = ceremony.pending && !lastAttempt.email;
  const busyWithEmail = ceremony.pending && !!lastAttempt.email;

  return (
    <div className="space-y-6">
      <ErrorAlert
        error={shown?.error ?? null}
        described={shown?.words}
        tone={shown?.tone}
        onRetry={() => start(lastAttempt)}
      />

      <Button ref={passkeyButton} fullWidth size="lg" loading={busyWithButton} onClick={() => start({})}>
        {busyWithButton ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>

      <div className="flex items-center gap-3 text-xs text-fg-muted" aria-hidden="true">
        <span className="h-px flex-1 bg-line" />
        or
        <span className="h-px flex-1 bg-line" />
      </div>

      <form onSubmit={onEmail} noValidate className="space-y-3">
        <Field
          ref={emailInput}
          name="email"
          type="email"
          label="Or enter your email"
          autoComplete="username webauthn"
          inputMode="email"
          spellCheck={false}
          error={emailError}
        />
        <Button ref={continueButton} type="submit" variant="secondary" fullWidth loading={busyWithEmail}>
          {busyWithEmail ? "Waiting for your passkey…" : "Continue"}
        </Button>
      </form>

      <CeremonyProgress
        pending={ceremony.pending}
        slow={ceremony.slow}
        onCancel={cancel}
        hint="Look for a window from your browser, phone or password manager; it may be behind this one. To use a passkey on your phone, choose the QR-code option and scan it."
      />
    </div>
  );
}
