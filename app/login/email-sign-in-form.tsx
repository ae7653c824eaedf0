"use client";

import { EmailCodeForm } from "@/components/auth/email-code-form";
import { requestSignInCode, signInWithEmailCode } from "./actions";

/**
 * Sign-in with an emailed code: the way in for a browser without WebAuthn. The session it gives
 * can use the app but not make sensitive changes, which need a passkey.
 */
export function EmailSignInForm({ next, linkToken }: { next: string; linkToken: string | null }) {
  return (
    <EmailCodeForm
      linkToken={linkToken}
      request={requestSignInCode}
      redeem={(proof) => signInWithEmailCode(proof, next)}
      labels={{ request: "Email me a sign-in code", submit: "Sign in", link: "Sign in" }}
      hint="Only an email you have confirmed on your account can sign in this way."
      sent={(email) => (
        <>
          If {email} is the confirmed email of an account, we&rsquo;ve sent it a code. It works for 10 minutes, in this browser
          only.
        </>
      )}
    />
  );
}
