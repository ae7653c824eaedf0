"use client";

import "./globals.css";

/**
 * When the root layout itself fails (e.g. the database is down while it reads the session), this
 * replaces the whole document, so it has its own <html> and <body> and no header.
 */
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body className="grid min-h-dvh place-items-center bg-canvas p-4 font-sans text-fg antialiased">
        <title>Something went wrong · Next.js Passkeys</title>
        <main className="max-w-md space-y-4 rounded-xl border border-line bg-surface p-6 shadow-sm">
          <h1 className="text-xl font-semibold">Something went wrong</h1>
          <p className="text-sm text-fg-muted">The site couldn&rsquo;t load. It&rsquo;s not you: try again in a moment.</p>
          {/* Plain elements: the design system may be what failed to load. */}
          <button
            type="button"
            onClick={() => retry()}
            className="h-10 rounded-lg bg-primary px-4 text-sm font-medium text-primary-fg hover:bg-primary-hover"
          >
            Try again
          </button>
          {error.digest ? <p className="text-xs text-fg-muted">Error reference: {error.digest}</p> : null}
        </main>
      </body>
    </html>
  );
}
