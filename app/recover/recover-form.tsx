"use client";

import { useState } from "react";
import { Alert, Button, ErrorAlert, clearNotice, flashNotice } from "@/components/ui";
import { CeremonyProgress } from "@/components/auth/ceremony-progress";
import { EmailCodeForm } from "@/components/auth/email-code-form";
import { createRecoveryPasskey } from "@/lib/passkey-client/recover";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { useCeremony, useWebAuthnSupported } from "@/lib/passkey-client/use-ceremony";
import { signIn } from "../login/actions";
import { EmailSignInForm } from "../login/email-sign-in-form";
import { redeemRecoveryCode, requestRecoveryCode } from "./actions";

/**
 * Recovery: email → the emailed code (or the link, which lands here with a token) → a new passkey,
 * which then signs in like any new passkey. Every answer to the first step is the same, whether or
 * not the email has an account. A browser that cannot create a passkey signs in with the code
 * instead (EmailSignInForm): no one is left at a dead end.
 */
export function RecoverForm({ linkToken }: { linkToken: string | null }) {
  const supported = useWebAuthnSupported();
  // null until the code is accepted; then whether this recovery is a claim (see PasskeyStep).
  const [claim, setClaim] = useState<boolean | null>(null);

  if (!supported) {
    return (
      <div className="space-y-4">
        <Alert tone="info" title="This browser can't create passkeys">
          You can still sign in here with a code sent to your confirmed email. To add a new passkey, open this page in a browser
          that supports passkeys.
        </Alert>
        <EmailSignInForm next="/account" linkToken={null} />
      </div>
    );
  }

  if (claim !== null) return <PasskeyStep claim={claim} />;

  return (
    <EmailCodeForm
      linkToken={linkToken}
      request={requestRecoveryCode}
      redeem={async (proof) => {
        const result = await redeemRecoveryCode(proof);
        if (result.ok) setClaim(result.claim);
        return result;
      }}
      labels={{ request: "Email me a code", submit: "Continue", link: "Continue recovery" }}
      sent={(email) => (
        <>
          If {email} belongs to an account, we&rsquo;ve sent it a code. It works for 10 minutes, in this browser only.
        </>
      )}
    />
  );
}

/** The code was accepted: the recovery session (its own cookie) can now create one passkey. */
function PasskeyStep({ claim }: { claim: boolean }) {
  const [error, setError] = useState<PasskeyError | null>(null);
  const ceremony = useCeremony();

  function createPasskey() {
    setError(null);
    ceremony.run(async (signal) => {
      const result = await createRecoveryPasskey({ signal });
      if (!result.ok) {
        if (!isCancelled(result.error)) setError(result.error);
        return;
      }
      flashNotice(
        claim
          ? "The account is yours. You're signed in with your new passkey, and the passkeys added before your email was confirmed were removed."
          : "Your account is recovered. You're signed in with your new passkey, and every other session was signed out.",
      );
      const failed = await signIn(result.code, "/account");
      clearNotice();
      setError(failed.error);
    });
  }

  return (
    <div className="space-y-4">
      {claim ? (
        <Alert tone="warning" title="This email was never confirmed on its account">
          You&rsquo;ve just proved it&rsquo;s yours, so the account is yours. Whoever signed up with it did not prove that: when
          you create your passkey, every passkey already on the account is removed and every session is signed out. You have 10
          minutes.
        </Alert>
      ) : (
        <Alert tone="success" title="Code accepted">
          Now create a new passkey on this device. You have 10 minutes. Once it&rsquo;s created, every other session of your
          account is signed out and we&rsquo;ll email you that a passkey was added.
        </Alert>
      )}
      <ErrorAlert error={error} onRetry={createPasskey} />
      <Button fullWidth size="lg" loading={ceremony.pending} onClick={createPasskey}>
        {ceremony.pending ? "Waiting for your passkey…" : "Create a new passkey"}
      </Button>
      <CeremonyProgress pending={ceremony.pending} slow={ceremony.slow} onCancel={ceremony.cancel} />
    </div>
  );
}
