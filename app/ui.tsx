import type { ReactNode } from "react";
import type { PasskeyError } from "@/lib/passkey-client/result";

/** The few styled pieces the pages share. */

export function ErrorMessage({ error }: { error: PasskeyError | null }) {
  if (!error) return null;
  return (
    <p role="alert" data-testid="error" data-error-tag={error.tag} className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      {error.message}
    </p>
  );
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-bold">{title}</h1>
      {children}
    </section>
  );
}

export const buttonClass =
  "w-full rounded-lg bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-50";
export const inputClass = "w-full rounded-lg border border-slate-300 px-3 py-2";
