"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Field } from "./field";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  /** Runs on confirm. The dialog stays open while `pending`; close it from here when done. */
  onConfirm: () => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** "danger" for what cannot be undone (delete a passkey, delete the account). */
  tone?: "primary" | "danger";
  /** "Type X to confirm": the confirm button works only once this exact text is typed. */
  confirmPhrase?: string;
  pending?: boolean;
  /** Shown above the buttons, e.g. an Alert when the action failed. */
  children?: ReactNode;
}

/** "Are you sure?", optionally with the typed-phrase guard for irreversible actions. */
export function ConfirmDialog({
  open,
  onClose,
  onConfirm,
  title,
  description,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "primary",
  confirmPhrase,
  pending = false,
  children,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);

  function close() {
    setTyped("");
    setError(null);
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (confirmPhrase && typed.trim() !== confirmPhrase) {
      setError(`Type ${confirmPhrase} exactly to confirm.`);
      return;
    }
    onConfirm();
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={description}
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {confirmPhrase ? (
          <Field
            label={`Type ${confirmPhrase} to confirm`}
            value={typed}
            onChange={(event) => {
              setTyped(event.target.value);
              setError(null);
            }}
            error={error}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            data-autofocus
          />
        ) : null}
        {children}
        <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={close} data-autofocus={confirmPhrase ? undefined : true}>
            {cancelLabel}
          </Button>
          <Button type="submit" variant={tone} loading={pending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
