"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { CeremonyProgress } from "@/components/auth/ceremony-progress";
import { Button, ErrorAlert, flashNotice } from "@/components/ui";
import { signInWithPasskey } from "@/lib/integrations/next-auth-client";
import { passkeyUnsupported } from "@/lib/passkey-client/browser-errors";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { useCeremony, useWebAuthnSupported } from "@/lib/passkey-client/use-ceremony";

/** The passkey ceremony, then next-auth's signIn("passkey"); on success the page re-renders with the session. */
export function NextAuthSignIn() {
  const router = useRouter();
  const ceremony = useCeremony();
  const unsupported = !useWebAuthnSupported();
  const [error, setError] = useState<PasskeyError | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  function start() {
    setError(null);
    ceremony.run(async (signal) => {
      const result = await signInWithPasskey({ signal });
      if (!result.ok) {
        if (!isCancelled(result.error)) setError(result.error);
        return;
      }
      flashNotice("Signed in with next-auth.");
      router.refresh();
    });
  }

  function cancel() {
    ceremony.cancel();
    button.current?.focus(); // the Cancel button is about to disappear
  }

  if (unsupported) return <ErrorAlert error={passkeyUnsupported().error} />;

  return (
    <div className="space-y-6">
      <ErrorAlert error={error} onRetry={start} />
      <Button ref={button} fullWidth size="lg" loading={ceremony.pending} onClick={start}>
        {ceremony.pending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
      <CeremonyProgress pending={ceremony.pending} slow={ceremony.slow} onCancel={cancel} />
    </div>
  );
}

/** next-auth's signOut (its CSRF-checked POST, which clears its cookie), then the page re-renders signed out. */
export function NextAuthSignOut() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  function signOutOfNextAuth() {
    startTransition(async () => {
      await signOut({ redirect: false });
      flashNotice("You're signed out of next-auth.");
      router.refresh();
    });
  }
  return (
    <Button variant="secondary" loading={pending} onClick={signOutOfNextAuth}>
      Sign out of next-auth
    </Button>
  );
}
