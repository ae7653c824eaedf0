"use client";

import { useState } from "react";
import { Button, ConfirmDialog, Dialog, flashNotice } from "@/components/ui";

export function DialogDemos() {
  const [open, setOpen] = useState<"plain" | "confirm" | "typed" | null>(null);
  const close = () => setOpen(null);
  const done = (text: string) => {
    close();
    flashNotice(text);
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen("plain")}>
        Open a dialog
      </Button>
      <Button variant="secondary" onClick={() => setOpen("confirm")}>
        Remove passkey
      </Button>
      <Button variant="danger" onClick={() => setOpen("typed")}>
        Delete account
      </Button>

      <Dialog
        open={open === "plain"}
        onClose={close}
        title="Confirm it's you"
        description="Use your passkey to continue."
        footer={
          <>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => done("Confirmed.")}>Use passkey</Button>
          </>
        }
      />
      <ConfirmDialog
        open={open === "confirm"}
        onClose={close}
        onConfirm={() => done("Passkey removed.")}
        title="Remove this passkey?"
        description="You won't be able to sign in with it any more."
        confirmLabel="Remove passkey"
        tone="danger"
      />
      <ConfirmDialog
        open={open === "typed"}
        onClose={close}
        onConfirm={() => done("Account deleted.")}
        title="Delete your account?"
        description="This deletes your account and every passkey. It cannot be undone."
        confirmLabel="Delete account"
        tone="danger"
        confirmPhrase="DELETE"
      />
    </>
  );
}

export function NoticeDemo() {
  return (
    <Button variant="ghost" onClick={() => flashNotice("Passkey added.")}>
      Show a notice
    </Button>
  );
}
