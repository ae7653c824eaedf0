import type { Metadata } from "next";
import Link from "next/link";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { Alert, Badge, Card, RelativeTime } from "@/components/ui";
import { nextAuthOptions } from "@/lib/integrations/next-auth";
import { NextAuthSignIn, NextAuthSignOut } from "./next-auth-buttons";

export const metadata: Metadata = { title: "next-auth example" };

/**
 * Passkeys through next-auth: sign in with a passkey created on this site, and see the session
 * next-auth issued (read on the server with getServerSession). next-auth also sends its own pages
 * here (sign-in, sign-out, `?error=`), so its built-in pages, whose inline styles the CSP blocks,
 * are never shown. The app's own session is not involved: /account does not accept this one.
 */
export default async function NextAuthExamplePage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  let options;
  try {
    options = nextAuthOptions();
  } catch (problem) {
    // A deployment that does not use next-auth need not configure it: this page says so instead of
    // failing, and the reason (which names the variable) goes to the server log only.
    console.error("[passkeys] /examples/next-auth is not configured:", problem instanceof Error ? problem.message : problem);
    return (
      <div className="mx-auto max-w-md">
        <Card titleAs="h1" title="next-auth example">
          <Alert tone="info" title="Not set up on this server">
            Its operator has not configured next-auth. <Link href="/login">Sign in to the app</Link> instead.
          </Alert>
        </Card>
      </div>
    );
  }
  const session = await getServerSession(options);
  const { error } = await searchParams;

  if (!session) {
    return (
      <div className="mx-auto max-w-md space-y-6">
        {error ? (
          <Alert tone="error" title="next-auth couldn't sign you in" data-testid="next-auth-error">
            Try again with your passkey.
          </Alert>
        ) : null}
        <Card
          titleAs="h1"
          title="Sign in with next-auth"
          description="This example signs in through next-auth's Credentials provider “passkey”, with a passkey you created on this site. It does not sign you in to the app itself."
          footer={
            <span>
              No passkey yet? <Link href="/register">Create an account</Link>
            </span>
          }
        >
          <NextAuthSignIn />
        </Card>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-md space-y-6">
      <Card
        titleAs="h1"
        title="Signed in with next-auth"
        description="The session next-auth's getServerSession returns on the server."
        footer={<NextAuthSignOut />}
      >
        <dl className="divide-y divide-line text-sm" data-testid="next-auth-session">
          <Row label="Email">
            <span className="flex flex-wrap items-center gap-2">
              <span data-testid="next-auth-email">{session.user.email}</span>
              {/* What an app linking accounts by email must check first: an unconfirmed one proves nothing. */}
              {session.user.emailVerified ? (
                <Badge tone="success">Confirmed</Badge>
              ) : (
                <Badge tone="warning">Not confirmed</Badge>
              )}
            </span>
          </Row>
          {session.user.name ? <Row label="Name">{session.user.name}</Row> : null}
          <Row label="User id">
            <code className="text-xs">{session.user.id}</code>
          </Row>
          <Row label="Your passkey">
            {session.userVerified ? <Badge tone="success">Verified you</Badge> : <Badge tone="warning">Did not verify you</Badge>}
          </Row>
          <Row label="Signed in">
            <RelativeTime date={new Date(session.authTime * 1000)} />
          </Row>
        </dl>
        <Alert tone="info" title="A separate session">
          This is next-auth&rsquo;s session, not this app&rsquo;s: your <Link href="/account">account page</Link> still asks
          you to sign in. It can&rsquo;t be revoked before it expires and has no step-up for sensitive changes.
        </Alert>
      </Card>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:gap-4">
      <dt className="shrink-0 text-fg-muted sm:w-32">{label}</dt>
      <dd className="min-w-0 flex-1 font-medium wrap-anywhere">{children}</dd>
    </div>
  );
}
