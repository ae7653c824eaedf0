"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Confirmations that outlive a navigation: "You're signed out", "Account created", "Passkey added".
 *
 * How: the code that is about to navigate calls `flashNotice(text)`, which keeps the text in
 * sessionStorage (this tab only, gone when the tab closes); `<NoticeRegion>`, mounted once in the
 * root layout, takes it out and shows it after the next page renders, or at once when no
 * navigation follows. Nothing goes in the URL, so a notice is never bookmarked, shared, re-shown
 * on reload, or forged by a link someone sends. The region is in the page from the first render,
 * which is what lets screen readers announce text that later appears in it (aria-live).
 */

const KEY = "notice";
const EVENT = "notice";

/** Shows `text` in the notice region now, or on the next page if a navigation is under way. */
export function flashNotice(text: string) {
  sessionStorage.setItem(KEY, text);
  window.dispatchEvent(new Event(EVENT));
}

/** Takes back a notice that will not be true after all (e.g. the action it announced failed). */
export function clearNotice() {
  sessionStorage.removeItem(KEY);
}

function takeNotice(): string | null {
  const text = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  return text;
}

export function NoticeRegion() {
  const pathname = usePathname();
  const [text, setText] = useState<string | null>(null);

  // A new page: show what the previous one left, or clear what it showed.
  useEffect(() => {
    setText(takeNotice());
  }, [pathname]);

  useEffect(() => {
    const show = () => setText(takeNotice());
    window.addEventListener(EVENT, show);
    return () => window.removeEventListener(EVENT, show);
  }, []);

  return (
    <div aria-live="polite" aria-atomic="true" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {text ? (
        <div
          data-testid="notice"
          className="pointer-events-auto flex max-w-md items-center gap-3 rounded-lg border border-success-line bg-success-bg py-2 pr-2 pl-4 text-sm text-success-fg shadow-lg"
        >
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-5 shrink-0">
            <path
              fillRule="evenodd"
              clipRule="evenodd"
              d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.857-9.809a.75.75 0 0 0-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 1 0-1.06 1.061l2.5 2.5a.75.75 0 0 0 1.137-.089l4-5.5Z"
            />
          </svg>
          <p className="min-w-0 break-words">{text}</p>
          <button
            type="button"
            onClick={() => setText(null)}
            className="ml-auto grid size-8 shrink-0 place-items-center rounded-md hover:bg-success-line/50"
          >
            <span className="sr-only">Dismiss</span>
            <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>
      ) : null}
    </div>
  );
}
