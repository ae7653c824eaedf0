"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";

export interface UserMenuProps {
  name: string;
  email: string;
}

/**
 * The signed-in person in the header: a button with their initial and name that opens a small
 * panel with their email, "Account" and "Sign out". It is a disclosure (button + aria-expanded +
 * aria-controls), the pattern for site navigation, not an application menu: Tab moves through
 * the items, Escape closes and returns focus to the button, a click or focus outside closes it.
 */
export function UserMenu({ name, email }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", closeOutside);
    document.addEventListener("focusin", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOutside);
      document.removeEventListener("focusin", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);

  const itemClass =
    "flex h-10 w-full items-center rounded-md px-3 text-left text-sm text-fg no-underline hover:bg-surface-muted";

  return (
    <div ref={root} className="relative min-w-0">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
        className="flex h-10 max-w-full min-w-0 items-center gap-2 rounded-full py-1 pr-3 pl-1 text-sm font-medium text-fg hover:bg-surface-muted"
      >
        <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-full bg-primary text-primary-fg uppercase">
          {(name || email).trim().charAt(0)}
        </span>
        <span className="sr-only">Account menu: </span>
        {/* Hidden visually on narrow screens, still part of the button's accessible name. */}
        <span className="max-w-[12rem] truncate max-sm:sr-only">{name}</span>
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4 shrink-0 text-fg-muted">
          <path
            fillRule="evenodd"
            clipRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
          />
        </svg>
      </button>

      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-40 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-line bg-surface p-2 shadow-lg"
      >
        <div className="border-b border-line px-3 pt-1 pb-3">
          <p className="truncate text-sm font-medium text-fg">{name}</p>
          <p className="text-sm wrap-anywhere text-fg-muted">{email}</p>
        </div>
        <ul className="pt-2">
          <li>
            <Link href="/account" className={itemClass} onClick={() => setOpen(false)}>
              Account
            </Link>
          </li>
          <li>
            {/* A plain POST to the sign-out route (app/sign-out/route.ts): it also works without JavaScript. */}
            <form method="post" action="/sign-out">
              <button type="submit" className={itemClass}>
                Sign out
              </button>
            </form>
          </li>
        </ul>
      </div>
    </div>
  );
}
