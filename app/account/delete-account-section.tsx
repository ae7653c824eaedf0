"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Card, ConfirmDialog, ErrorAlert, flashNotice } from "@/components/ui";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signalAllAcceptedCredentials } from "@/lib/passkey-client/signals";
import { deleteAccount } from "./actions";
import { useStepUp } from "./step-up";

/**
 * Deleting the account: typed confirmation, step-up, then the browser tells the passkey manager
 * that no passkey for this account is accepted any more (an empty list) and goes home signed out.
 */
export function DeleteAccountSection({ email }: { email: string }) {
  const router = useRouter();
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
    // The cookie is gone: home renders signed out, header included.
    router.replace("/");
    router.refresh();
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
