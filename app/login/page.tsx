import type { Metadata } from "next";
import Link from "next/link";
import { SignedInAs } from "@/components/auth/signed-in-as";
import { Alert, Card } from "@/components/ui";
import { getSignedInAccount } from "@/lib/session";
import { safeNextPath } from "@/lib/session/next-path";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const user = await getSignedInAccount();
  const nextPath = safeNextPath(next ?? "/account");
  return (
    <div className="mx-auto max-w-md space-y-6">
      {user ? <SignedInAs email={user.email} next={nextPath} /> : null}
      {/* Sent here by a protected page (proxy.ts, requireSession): say why. */}
      {next && nextPath !== "/" && !user ? (
        <Alert tone="info" title="Sign in to continue">
          The page you asked for needs you to be signed in. You&rsquo;ll go straight there afterwards.
        </Alert>
      ) : null}
      <Card
        titleAs="h1"
        title="Sign in"
        description="Use the passkey you created on this site."
        footer={
          <div className="flex flex-wrap justify-between gap-2">
            <span>
              New here? <Link href="/register">Create an account</Link>
            </span>
            <Link href="/recover">Lost your passkey?</Link>
          </div>
        }
      >
        <LoginForm next={next ?? "/account"} />
      </Card>
    </div>
  );
}
