"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, ErrorAlert, flashNotice } from "@/components/ui";
import { EMAIL_CODE_REFUSED } from "@/lib/passkey-client/email-code-messages";
import type { PasskeyError } from "@/lib/passkey-client/result";
import { confirmEmail } from "../account/actions";

export function VerifyEmailLink({ token }: { token: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PasskeyError | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    const result = await confirmEmail({ link: token });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    flashNotice("Your email is confirmed.");
    router.push("/account");
  }

  return (
    <div className="space-y-4">
      {error?.tag === "@error/InvalidCode" ? (
        <Alert tone="error" title={EMAIL_CODE_REFUSED.title}>
          {EMAIL_CODE_REFUSED.message} You can ask for a new one on your account page.
        </Alert>
      ) : (
        <ErrorAlert error={error} />
      )}
      <Button fullWidth loading={busy} onClick={() => void confirm()}>
        Confirm my email
      </Button>
    </div>
  );
}
