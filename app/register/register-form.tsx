"use client";

import { useRef, useState, type FormEvent } from "react";
import { Button, ErrorAlert, Field, clearNotice, flashNotice } from "@/components/ui";
import { passkeyUnsupported } from "@/lib/passkey-client/browser-errors";
import { describeError, type ErrorMessage } from "@/lib/passkey-client/messages";
import { registerPasskey } from "@/lib/passkey-client/register";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { useCeremony, useWebAuthnSupported } from "@/lib/passkey-client/use-ceremony";
import { CeremonyProgress } from "@/components/auth/ceremony-progress";
import { signIn } from "../login/actions";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type FieldErrors = { email?: string; displayName?: string };

/**
 * At sign-up, a taken email may be the person's own: an account whose passkey they lost, or one
 * someone else made with their address and never confirmed. Proving the address by email gets
 * either back (recovery; for the unconfirmed one, a claim).
 */
const EMAIL_TAKEN: ErrorMessage = {
  title: "That email already has an account",
  message:
    "Sign in with its passkey instead. If it's your email but you can't sign in (you lost the passkey, or someone else signed up with your address), get the account with a code sent to it.",
  action: { kind: "link", label: "Get it by email", href: "/recover" },
};

/** Our own checks, before any request: the same rules the server applies (lib/vault/input.ts). */
function validate(email: string, displayName: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!email) errors.email = "Enter your email address.";
  else if (!EMAIL.test(email)) errors.email = "Enter an email address, like name@example.com.";
  if (displayName.length > 64) errors.displayName = "Use 64 characters or fewer.";
  return errors;
}

export function RegisterForm({ next }: { next: string }) {
  const [error, setError] = useState<PasskeyError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Known up front, so the person is told before they fill in the form.
  const unsupported = !useWebAuthnSupported();
  const ceremony = useCeremony();
  const form = useRef<HTMLFormElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    const displayName = String(data.get("displayName") ?? "").trim();
    setError(null);
    const errors = validate(email, displayName);
    setFieldErrors(errors);
    if (errors.email || errors.displayName) {
      // Take the person to the first field to fix; its error is read out with it (aria-describedby).
      form.current?.querySelector<HTMLInputElement>(`[name="${errors.email ? "email" : "displayName"}"]`)?.focus();
      return;
    }
    ceremony.run(async (signal) => {
      const result = await registerPasskey({ email, ...(displayName ? { displayName } : {}) }, { signal });
      if (!result.ok) {
        if (isCancelled(result.error)) return;
        const { field, message } = describeError(result.error);
        if (field === "email" || field === "displayName") return setFieldErrors({ [field]: message });
        return setError(result.error);
      }
      // Stays on screen through the redirect signIn answers with; taken back if it fails instead.
      flashNotice("Account created. You're signed in with your new passkey. We've emailed you a code to confirm your address.");
      const failed = await signIn(result.code, next);
      clearNotice();
      setError(failed.error);
    });
  }

  function cancel() {
    ceremony.cancel();
    submitButton.current?.focus();
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="space-y-5">
      {unsupported ? <ErrorAlert error={passkeyUnsupported().error} /> : null}
      <Field
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        inputMode="email"
        spellCheck={false}
        error={fieldErrors.email}
      />
      <Field
        name="displayName"
        type="text"
        label="Name (optional)"
        hint="Shown on your passkey, so you can tell accounts apart."
        autoComplete="name"
        maxLength={64}
        error={fieldErrors.displayName}
      />
      <ErrorAlert
        error={error}
        described={error?.tag === "@error/DuplicateAccount" ? EMAIL_TAKEN : undefined}
        onRetry={() => form.current?.requestSubmit()}
      />
      <Button ref={submitButton} type="submit" fullWidth size="lg" loading={ceremony.pending} disabled={unsupported}>
        {ceremony.pending ? "Waiting for your passkey…" : "Create account with a passkey"}
      </Button>
      <CeremonyProgress pending={ceremony.pending} slow={ceremony.slow} onCancel={cancel} />
    </form>
  );
}
