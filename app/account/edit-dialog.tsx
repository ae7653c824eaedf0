"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button, Dialog, ErrorAlert, Field } from "@/components/ui";
import { describeError } from "@/lib/passkey-client/messages";
import { isCancelled, type PasskeyError, type Result } from "@/lib/passkey-client/result";

export interface EditDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: string;
  label: string;
  initialValue: string;
  type?: "text" | "email";
  autoComplete?: string;
  maxLength?: number;
  saveLabel?: string;
  /** Saves the value; the dialog closes on success, and shows a typed error inline when it names a field, else above the buttons. */
  onSave: (value: string) => Promise<Result<object>>;
}

/** One field in a dialog: rename a passkey, change the name or the email. */
export function EditDialog(props: EditDialogProps) {
  // Remount per opening, so the field starts from the current value and no stale error.
  return props.open ? <EditDialogBody key={props.initialValue} {...props} /> : null;
}

function EditDialogBody({ onClose, title, description, label, initialValue, type = "text", autoComplete = "off", maxLength, saveLabel = "Save", onSave }: EditDialogProps) {
  const [value, setValue] = useState(initialValue);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<PasskeyError | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    startTransition(async () => {
      const result = await onSave(value);
      if (result.ok) return onClose();
      if (isCancelled(result.error)) return; // closed the step-up: keep what they typed
      const words = describeError(result.error);
      if (words.field) setFieldError(words.message);
      else setError(result.error);
    });
  }

  return (
    <Dialog open onClose={onClose} title={title} description={description}>
      <form onSubmit={submit} noValidate className="space-y-4">
        <Field
          label={label}
          type={type}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setFieldError(null);
          }}
          error={fieldError}
          autoComplete={autoComplete}
          maxLength={maxLength}
          spellCheck={false}
          data-autofocus
        />
        <ErrorAlert error={error} />
        <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {saveLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
