"use client";

import { useEffect, useState } from "react";

/**
 * Confirmations that outlive a redirect: "You're signed out", "Account created", "Passkey added".
 *
 * How: the code about to act calls `flashNotice(text)`; `<NoticeRegion>`, mounted once in the root
 * layout, shows it. The root layout is not re-mounted by client-side navigations, and a server
 * action's redirect is one, so the notice stays on screen across the redirect with no storage,
 * no cookie and nothing in the URL: it cannot be bookmarked, re-shown on reload, or forged by a
 * link someone sends. It hides after a while or when dismissed. The region is in the page from
 * the first render, which is what lets screen readers announce text that appears in it later.
 * (A full page load clears it; flash only before a client-side navigation or none.)
 */

const EVENT = "app:notice";
const SHOW_FOR_MS = 8_000;

/** Shows `text` now; it stays through the navigation that follows. */
export function flashNotice(text: string) {
  window.dispatchEvent(new CustomEvent<string | null>(EVENT, { detail: text }));
}

/** Takes back a notice that turned out untrue (e.g. the action it announced failed). */
export function clearNotice() {
  window.dispatchEvent(new CustomEvent<string | null>(EVENT, { detail: null }));
}

/**
 * The one exception to "nothing in the URL": a plain form POST answered by a redirect (sign-out,
 * which must also clear the site's storage) is a full page load, so it names its notice in the
 * URL, `?notice=signed-out`. Only these fixed texts can be named, so a link cannot make the page
 * say anything else, and the parameter is removed at once so a reload does not repeat it.
 */
const NAMED_NOTICES: Record<string, string> = {
  "signed-out": "You're signed out.",
};

function showNamedNotice() {
  const url = new URL(window.location.href);
  const text = NAMED_NOTICES[url.searchParams.get("notice") ?? ""];
  if (!text) return;
  url.searchParams.delete("notice");
  window.history.replaceState(window.history.state, "", url);
  flashNotice(text);
}

export function NoticeRegion() {
  const [notice, setNotice] = useState<{ text: string; id: number } | null>(null);

  useEffect(() => {
    const show = (event: Event) => {
      const text = (event as CustomEvent<string | null>).detail;
      setNotice(text ? { text, id: Date.now() } : null);
    };
    window.addEventListener(EVENT, show);
    showNamedNotice();
    return () => window.removeEventListener(EVENT, show);
  }, []);

  // Each notice gets its own timer (keyed by id), so a new one is not cut short by the last.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), SHOW_FOR_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <div aria-live="polite" aria-atomic="true" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {notice ? (
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
          <p className="min-w-0 wrap-anywhere">{notice.text}</p>
          {/* Named by aria-label, not text: the region's text is only the message. */}
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => setNotice(null)}
            className="ml-auto grid size-8 shrink-0 place-items-center rounded-md hover:bg-success-line/50"
          >
            <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>
      ) : null}
    </div>
  );
}
