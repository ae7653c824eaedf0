"use client";

import { startTransition, useState } from "react";
import { Button, Card, ConfirmDialog, ErrorAlert, flashNotice } from "@/components/ui";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signalAllAcceptedCredentials } from "@/lib/passkey-client/signals";
import { deleteAccount, leaveDeletedAccount } from "./actions";
import { useStepUp } from "./step-up";

/**
 * Deleting the account: typed confirmation, step-up, then the browser tells the passkey manager
 * that no passkey for this account is accepted any more (an empty list) and goes home signed out.
 */
export function DeleteAccountSection({ email }: { email: string }) {
  const guard = useStepUp();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<PasskeyError | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await guard("delete your account", () => deleteAccount(email));
    if (!result.ok) {
      setPending(false);
      if (!isCancelled(result.error)) setError(result.error);
      return;
    }
    await signalAllAcceptedCredentials(result);
    flashNotice("Your account was deleted.");
    // Clears the cookie and answers with home, rendered signed out, header included; in a
    // transition, so the dialog stays pending until home is on screen. Should that fail, the
    // account is gone all the same and its cookie opens nothing: a plain page load goes home.
    startTransition(async () => {
      const failed = await leaveDeletedAccount();
      // A full load on purpose: a client-side refresh would re-render this page without a session.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      if (!failed.ok) window.location.assign("/");
    });
  }

  return (
    <Card title="Delete account" description="Deletes your account, its passkeys and every session. This cannot be undone.">
      <div>
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete account…
        </Button>
      </div>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
        title="Delete your account?"
        description="Your passkeys will stop working here and your devices will be asked to forget them."
        confirmLabel="Delete account"
        tone="danger"
        confirmPhrase={email}
        pending={pending}
      >
        <ErrorAlert error={error} />
      </ConfirmDialog>
    </Card>
  );
}
