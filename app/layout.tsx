import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ButtonLink, NoticeRegion, UserMenu } from "@/components/ui";
import { getSignedInAccount } from "@/lib/session";
import "./globals.css";

export const metadata: Metadata = {
  // Pages set `title: "Sign in"`; the tab reads "Sign in · Next.js Passkeys".
  title: { default: "Next.js Passkeys", template: "%s · Next.js Passkeys" },
  description: "Sign in with passkeys: a self-hosted passkey vault for Next.js.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSignedInAccount();
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col bg-canvas font-sans text-fg antialiased">
        <a
          href="#main"
          className="sr-only rounded-lg bg-surface px-4 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
        >
          Skip to main content
        </a>
        <header className="border-b border-line bg-surface">
          <nav aria-label="Main" className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
            <Link href="/" className="flex items-center gap-2 rounded-md font-semibold text-fg no-underline">
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" className="size-6">
                <circle cx="8" cy="15" r="4" />
                <path d="m10.85 12.15 8.15-8.15M18 5l2 2M15 8l2 2" strokeLinecap="round" />
              </svg>
              Next.js Passkeys
            </Link>
            {user ? (
              <UserMenu name={user.displayName} email={user.email} />
            ) : (
              <div className="flex items-center gap-2">
                <ButtonLink href="/login" variant="ghost" size="sm">
                  Sign in
                </ButtonLink>
                <ButtonLink href="/register" size="sm">
                  Create account
                </ButtonLink>
              </div>
            )}
          </nav>
        </header>
        {/* tabIndex -1: the skip link moves focus here, so the next Tab starts inside the page. */}
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-3xl flex-1 px-4 py-10 outline-none sm:px-6">
          {children}
        </main>
        <NoticeRegion />
      </body>
    </html>
  );
}
