"use client";

import { useState, useTransition, type FormEvent } from "react";
import { registerPasskey } from "@/lib/passkey-client/register";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signIn } from "../login/actions";
import { buttonClass, ErrorMessage, inputClass } from "../ui";

export function RegisterForm({ next }: { next: string }) {
  const [error, setError] = useState<PasskeyError | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const displayName = String(form.get("displayName") ?? "").trim();
    setError(null);
    startTransition(async () => {
      const result = await registerPasskey({ email, ...(displayName ? { displayName } : {}) });
      if (!result.ok) {
        if (!isCancelled(result.error)) setError(result.error);
        return;
      }
      const failed = await signIn(result.code, next);
      setError(failed.error);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <label className="block space-y-1">
        <span className="text-sm font-medium">Email</span>
        <input name="email" type="email" required autoComplete="username" className={inputClass} />
      </label>
      <label className="block space-y-1">
        <span className="text-sm font-medium">Name (optional)</span>
        <input name="displayName" type="text" maxLength={64} autoComplete="name" className={inputClass} />
      </label>
      <ErrorMessage error={error} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Waiting for your passkey…" : "Create account with a passkey"}
      </button>
    </form>
  );
}
