import type { ReactNode } from "react";

/** The square icon at the start of a passkey or session row: 24×24 stroke paths as children. */
export function IconTile({ children }: { children: ReactNode }) {
  return (
    <span className="grid size-10 shrink-0 place-items-center rounded-lg border border-line bg-surface-muted text-fg-muted" aria-hidden="true">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" className="size-5">
        {children}
      </svg>
    </span>
  );
}

/** A phone: a passkey bound to one device, or a session on a phone or tablet. */
export const PHONE = (
  <>
    <rect x="6" y="3" width="12" height="18" rx="2" />
    <path d="M11 17h2" />
  </>
);
