"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Card, ConfirmDialog, ErrorAlert, RelativeTime, clearNotice, flashNotice } from "@/components/ui";
import { registerPasskey } from "@/lib/passkey-client/register";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signalAllAcceptedCredentials } from "@/lib/passkey-client/signals";
import { useCeremony } from "@/lib/passkey-client/use-ceremony";
import { signIn } from "../login/actions";
import { deletePasskey, renamePasskey } from "./actions";
import { EditDialog } from "./edit-dialog";
import { IconTile, PHONE } from "./icon-tile";
import { useStepUp } from "./step-up";
import { useFocusAfterRemoval } from "./use-focus-after-removal";
import type { PasskeyView } from "./view";

/**
 * The account's passkeys: add (excluding the ones it has), rename, delete. Deleting tells the
 * passkey manager which passkeys remain (signalAllAcceptedCredentials), so the device stops
 * offering the deleted one.
 */
export function PasskeysSection({ passkeys }: { passkeys: PasskeyView[] }) {
  const router = useRouter();
  const guard = useStepUp();
  const adding = useCeremony();
  const [error, setError] = useState<PasskeyError | null>(null);
  const [renaming, setRenaming] = useState<PasskeyView | null>(null);
  const [deleting, setDeleting] = useState<PasskeyView | null>(null);
  const [deleteError, setDeleteError] = useState<PasskeyError | null>(null);
  const [deletePending, setDeletePending] = useState(false);
  // After a delete, the Delete button the dialog would give focus back to is gone.
  const { list, focusListWhenGone } = useFocusAfterRemoval<HTMLUListElement>(passkeys);

  function add() {
    setError(null);
    adding.run(async (signal) => {
      const created = await guard("add a passkey", () => registerPasskey({}, { signal }));
      if (!created.ok) {
        if (!isCancelled(created.error)) setError(created.error);
        return;
      }
      // The code signs this browser in with the new passkey, like any sign-in, and comes back here.
      flashNotice("Passkey added. You can now sign in with it.");
      const failed = await signIn(created.code, "/account");
      clearNotice();
      setError(failed.error);
    });
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeletePending(true);
    setDeleteError(null);
    const result = await guard("delete a passkey", () => deletePasskey(deleting.id));
    setDeletePending(false);
    if (!result.ok) {
      if (!isCancelled(result.error)) setDeleteError(result.error);
      return;
    }
    await signalAllAcceptedCredentials(result);
    setDeleting(null);
    flashNotice(`"${deleting.name}" was deleted.`);
    focusListWhenGone([deleting.id]);
    router.refresh();
  }

  const onlyOne = passkeys.length === 1;
  return (
    <Card
      title="Passkeys"
      description="Passkeys sign you in with your fingerprint, face or screen lock. Keep more than one, on different devices, so you can't be locked out."
      actions={
        <>
          {adding.pending ? (
            <Button variant="ghost" size="sm" onClick={adding.cancel}>
              Cancel
            </Button>
          ) : null}
          <Button size="sm" onClick={add} loading={adding.pending}>
            Add a passkey
          </Button>
        </>
      }
    >
      <ErrorAlert error={error} onRetry={add} />
      <ul ref={list} tabIndex={-1} aria-label="Your passkeys" className="divide-y divide-line rounded-lg border border-line" data-testid="passkeys">
        {passkeys.map((passkey) => (
          <li key={passkey.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start" data-testid="passkey">
            <PasskeyIcon synced={passkey.synced} />
            <div className="min-w-0 flex-1 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <p className="font-medium wrap-anywhere" data-testid="passkey-name">
                  {passkey.name}
                </p>
                {passkey.synced ? <Badge tone="info">Synced</Badge> : <Badge>This device only</Badge>}
                {passkey.current ? <Badge tone="success">Used for this session</Badge> : null}
              </div>
              {passkey.provider !== passkey.name && passkey.provider !== "Passkey" ? (
                <p className="text-sm text-fg-muted wrap-anywhere">{passkey.provider}</p>
              ) : null}
              {/* Also the buttons' description: two passkeys may have the same name. */}
              <p className="text-sm text-fg-muted" id={`passkey-${passkey.id}-dates`}>
                Created <RelativeTime date={passkey.createdAt} /> · Last used{" "}
                {passkey.lastUsedAt ? <RelativeTime date={passkey.lastUsedAt} /> : "never"}
              </p>
            </div>
            <div className="flex shrink-0 gap-2">
              <Button
                variant="secondary"
                size="sm"
                onClick={() => setRenaming(passkey)}
                aria-label={`Rename ${passkey.name}`}
                aria-describedby={`passkey-${passkey.id}-dates`}
              >
                Rename
              </Button>
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setDeleteError(null);
                  setDeleting(passkey);
                }}
                aria-label={`Delete ${passkey.name}`}
                aria-describedby={`passkey-${passkey.id}-dates`}
              >
                Delete
              </Button>
            </div>
          </li>
        ))}
      </ul>

      <EditDialog
        open={renaming !== null}
        onClose={() => setRenaming(null)}
        title="Rename passkey"
        description="A name that tells you where this passkey lives, like “Work laptop” or “Phone”."
        label="Passkey name"
        initialValue={renaming?.name ?? ""}
        maxLength={64}
        onSave={async (name) => {
          const result = await renamePasskey(renaming!.id, name);
          if (result.ok) {
            flashNotice("Passkey renamed.");
            router.refresh();
          }
          return result;
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
        title={`Delete “${deleting?.name ?? ""}”?`}
        description={
          onlyOne
            ? "This is your only passkey. Add another one first, or you would have no way to sign in."
            : "You won't be able to sign in with this passkey any more, and sessions that signed in with it will end. Your device will be asked to forget it."
        }
        confirmLabel="Delete passkey"
        tone="danger"
        pending={deletePending}
      >
        <ErrorAlert error={deleteError} />
      </ConfirmDialog>
    </Card>
  );
}

/** A cloud for a synced passkey, a phone for one bound to a single authenticator. */
function PasskeyIcon({ synced }: { synced: boolean }) {
  return <IconTile>{synced ? <path d="M7 18a4 4 0 0 1-.5-7.97A6 6 0 0 1 18 9a4.5 4.5 0 0 1-.5 9H7Z" /> : PHONE}</IconTile>;
}
