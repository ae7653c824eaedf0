"use client";

import { useState, type FormEvent } from "react";
import { Alert, Button, ErrorAlert, Field, clearNotice, flashNotice } from "@/components/ui";
import { CeremonyProgress } from "@/components/auth/ceremony-progress";
import { EMAIL_CODE_REFUSED } from "@/lib/passkey-client/email-code-messages";
import { describeError } from "@/lib/passkey-client/messages";
import { createRecoveryPasskey } from "@/lib/passkey-client/recover";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { useCeremony } from "@/lib/passkey-client/use-ceremony";
import { signIn } from "../login/actions";
import { redeemRecoveryCode, requestRecoveryCode } from "./actions";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Step = "email" | "code" | "link" | "passkey";

/**
 * Recovery in three steps: email → the emailed code (or the link, which lands here with a token) →
 * a new passkey, which then signs in like any new passkey. Every answer to step 1 is the same,
 * whether or not the email has an account.
 */
export function RecoverForm({ linkToken }: { linkToken: string | null }) {
  const [step, setStep] = useState<Step>(linkToken ? "link" : "email");
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<PasskeyError | null>(null);
  const [busy, setBusy] = useState(false);
  const ceremony = useCeremony();

  /** A refused code is said next to the code field; anything else in the alert. */
  function refused(failure: PasskeyError) {
    if (failure.tag === "@error/InvalidCode") return setFieldError(EMAIL_CODE_REFUSED.message);
    const words = describeError(failure);
    if (words.field) return setFieldError(words.message);
    setError(failure);
  }

  async function onEmail(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setError(null);
    if (!EMAIL.test(value)) return setFieldError("Enter an email address, like name@example.com.");
    setFieldError(null);
    setBusy(true);
    const result = await requestRecoveryCode(value);
    setBusy(false);
    if (!result.ok) return refused(result.error);
    setEmail(value);
    setStep("code");
  }

  async function redeem(body: { email: string; code: string } | { link: string }) {
    setError(null);
    setFieldError(null);
    setBusy(true);
    const result = await redeemRecoveryCode(body);
    setBusy(false);
    if (!result.ok) return refused(result.error);
    setStep("passkey");
  }

  function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").replace(/[\s-]/g, "");
    if (!/^\d{6}$/.test(code)) return setFieldError("Enter the 6-digit code from the email.");
    void redeem({ email, code });
  }

  function createPasskey() {
    setError(null);
    ceremony.run(async (signal) => {
      const result = await createRecoveryPasskey({ signal });
      if (!result.ok) {
        if (!isCancelled(result.error)) setError(result.error);
        return;
      }
      flashNotice("Your account is recovered. You're signed in with your new passkey, and every other session was signed out.");
      const failed = await signIn(result.code, "/account");
      clearNotice();
      setError(failed.error);
    });
  }

  if (step === "email") {
    return (
      <form onSubmit={onEmail} noValidate className="space-y-4">
        <ErrorAlert error={error} />
        <Field name="email" type="email" label="Email" autoComplete="username" inputMode="email" spellCheck={false} error={fieldError} />
        <Button type="submit" fullWidth loading={busy}>
          Email me a code
        </Button>
        <p className="text-sm text-fg-muted">Only an email you have confirmed on your account can recover it.</p>
      </form>
    );
  }

  if (step === "code") {
    return (
      <form onSubmit={onCode} noValidate className="space-y-4">
        <Alert tone="info" title="Check your email">
          If {email} belongs to an account with a confirmed email, we&rsquo;ve sent it a code. It works for 10 minutes, in this
          browser only.
        </Alert>
        <ErrorAlert error={error} />
        <Field
          name="code"
          label="Code from the email"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={9}
          spellCheck={false}
          error={fieldError}
        />
        <Button type="submit" fullWidth loading={busy}>
          Continue
        </Button>
        <Button type="button" variant="secondary" fullWidth onClick={() => setStep("email")}>
          Use another email
        </Button>
      </form>
    );
  }

  if (step === "link") {
    return (
      <div className="space-y-4">
        <ErrorAlert error={error} />
        {fieldError ? (
          <Alert tone="error" title={EMAIL_CODE_REFUSED.title}>
            {fieldError}
          </Alert>
        ) : null}
        {/* A button, not an automatic redemption: mail scanners open links, and must not spend them. */}
        <Button fullWidth loading={busy} onClick={() => void redeem({ link: linkToken! })}>
          Continue recovery
        </Button>
        <Button type="button" variant="secondary" fullWidth onClick={() => setStep("email")}>
          Ask for a new code
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <Alert tone="success" title="Code accepted">
        Now create a new passkey on this device. You have 10 minutes. Once it&rsquo;s created, every other session of your
        account is signed out and we&rsquo;ll email you that a passkey was added.
      </Alert>
      <ErrorAlert error={error} onRetry={createPasskey} />
      <Button fullWidth size="lg" loading={ceremony.pending} onClick={createPasskey}>
        {ceremony.pending ? "Waiting for your passkey…" : "Create a new passkey"}
      </Button>
      <CeremonyProgress pending={ceremony.pending} slow={ceremony.slow} onCancel={ceremony.cancel} />
    </div>
  );
}
