"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, Button, ErrorAlert, Field, flashNotice } from "@/components/ui";
import { EMAIL_CODE_REFUSED } from "@/lib/passkey-client/email-code-messages";
import { describeError } from "@/lib/passkey-client/messages";
import type { PasskeyError } from "@/lib/passkey-client/result";
import { confirmEmail, sendVerificationCode } from "./actions";

/**
 * Confirming the account's email: the code mailed at sign-up (or after a change of email) is typed
 * here, or its link opened in this browser. A code works only in the browser that asked for it, so
 * "Send a new code" covers another browser as well as a lost or expired mail. Until the email is
 * confirmed, whoever proves it by email can claim the account, so the page asks for it.
 */
export function VerifyEmail() {
  const router = useRouter();
  const [resent, setResent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<PasskeyError | null>(null);

  async function send() {
    setError(null);
    setBusy(true);
    const result = await sendVerificationCode();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setResent(true);
  }

  async function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").replace(/[\s-]/g, "");
    setError(null);
    if (!/^\d{6}$/.test(code)) return setFieldError("Enter the 6-digit code from the email.");
    setFieldError(null);
    setBusy(true);
    const result = await confirmEmail({ code });
    setBusy(false);
    if (!result.ok) {
      if (result.error.tag === "@error/InvalidCode") return setFieldError(EMAIL_CODE_REFUSED.message);
      const words = describeError(result.error);
      return words.field ? setFieldError(words.message) : setError(result.error);
    }
    flashNotice("Your email is confirmed. If you lose your passkeys, it can get you back in.");
    router.refresh();
  }

  return (
    <div className="mt-4 space-y-3" data-testid="verify-email">
      <Alert tone="warning" title="Confirm your email">
        If you lose every passkey, a code sent to a confirmed email is the only way back in. Until then, anyone who proves this
        address by email can claim the account.
      </Alert>
      <ErrorAlert error={error} />
      <form onSubmit={onCode} noValidate className="space-y-3">
        <p className="text-sm text-fg-muted" role="status">
          {resent
            ? "We sent a new code. It works for 10 minutes, in this browser."
            : "We emailed a code when you signed up or changed your email. It works for 10 minutes, in that browser. Otherwise, send a new one."}
        </p>
        <Field name="code" label="Code from the email" inputMode="numeric" autoComplete="one-time-code" maxLength={9} error={fieldError} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" size="sm" loading={busy}>
            Confirm email
          </Button>
          <Button type="button" size="sm" variant="secondary" onClick={() => void send()}>
            Send a new code
          </Button>
        </div>
      </form>
    </div>
  );
}
