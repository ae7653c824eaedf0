"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button, ErrorAlert, Field } from "@/components/ui";
import { EMAIL_CODE_REFUSED } from "@/lib/passkey-client/email-code-messages";
import { describeError } from "@/lib/passkey-client/messages";
import type { PasskeyError } from "@/lib/passkey-client/result";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Outcome = { ok: true } | { ok: false; error: PasskeyError };
export type EmailCodeProof = { email: string; code: string } | { link: string };

export interface EmailCodeFormProps {
  /** The emailed link's token when the link brought the person here (`?token=`). */
  linkToken: string | null;
  /** Step 1: mail a code to this address (the answer is the same whether or not it has an account). */
  request: (email: string) => Promise<Outcome>;
  /** Step 2: the typed code or the link. On success the caller moves on (next step, or a redirect). */
  redeem: (proof: EmailCodeProof) => Promise<Outcome>;
  /** Button labels: asking for the code, sending the typed code, and using the link. */
  labels: { request: string; submit: string; link: string };
  /** Under the email field: who can use this. */
  hint?: ReactNode;
  /** What "check your email" says, for the address typed. */
  sent: (email: string) => ReactNode;
}

/**
 * The two steps every emailed code takes: an email → the code typed (or the link, which lands on
 * the page with its token). One component for recovery and sign-in, so both say the same things
 * the same way. A link never redeems by itself: mail scanners open links, and must not spend them.
 */
export function EmailCodeForm({ linkToken, request, redeem, labels, hint, sent }: EmailCodeFormProps) {
  const [step, setStep] = useState<"email" | "code" | "link">(linkToken ? "link" : "email");
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<PasskeyError | null>(null);
  const [busy, setBusy] = useState(false);

  /** A refused code is said next to the code field; anything else in the alert. */
  function refused(failure: PasskeyError) {
    if (failure.tag === "@error/InvalidCode") return setFieldError(EMAIL_CODE_REFUSED.message);
    const words = describeError(failure);
    if (words.field) return setFieldError(words.message);
    setError(failure);
  }

  async function attempt(action: () => Promise<Outcome>): Promise<boolean> {
    setError(null);
    setFieldError(null);
    setBusy(true);
    const result = await action();
    setBusy(false);
    if (!result.ok) refused(result.error);
    return result.ok;
  }

  async function onEmail(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!EMAIL.test(value)) return setFieldError("Enter an email address, like name@example.com.");
    if (await attempt(() => request(value))) {
      setEmail(value);
      setStep("code");
    }
  }

  function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").replace(/[\s-]/g, "");
    if (!/^\d{6}$/.test(code)) return setFieldError("Enter the 6-digit code from the email.");
    void attempt(() => redeem({ email, code }));
  }

  if (step === "email") {
    return (
      <form onSubmit={onEmail} noValidate className="space-y-4">
        <ErrorAlert error={error} />
        <Field name="email" type="email" label="Email" autoComplete="username" inputMode="email" spellCheck={false} error={fieldError} />
        <Button type="submit" fullWidth loading={busy}>
          {labels.request}
        </Button>
        {hint ? <p className="text-sm text-fg-muted">{hint}</p> : null}
      </form>
    );
  }

  if (step === "code") {
    return (
      <form onSubmit={onCode} noValidate className="space-y-4">
        <Alert tone="info" title="Check your email">
          {sent(email)}
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
          {labels.submit}
        </Button>
        <Button type="button" variant="secondary" fullWidth onClick={() => setStep("email")}>
          Use another email
        </Button>
      </form>
    );
  }

  return (
    <div className="space-y-4">
      <ErrorAlert error={error} />
      {fieldError ? (
        <Alert tone="error" title={EMAIL_CODE_REFUSED.title}>
          {fieldError}
        </Alert>
      ) : null}
      <Button fullWidth loading={busy} onClick={() => void attempt(() => redeem({ link: linkToken! }))}>
        {labels.link}
      </Button>
      <Button type="button" variant="secondary" fullWidth onClick={() => setStep("email")}>
        Ask for a new code
      </Button>
    </div>
  );
}
