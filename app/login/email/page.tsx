import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { EmailSignInForm } from "../email-sign-in-form";

export const metadata: Metadata = { title: "Sign in with an emailed code" };

/**
 * Where a sign-in code's link lands (`?token=`), and the emailed-code sign-in on its own page: the
 * fallback for browsers without WebAuthn (the login page offers it there by itself).
 */
export default async function EmailSignInPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <Card
        titleAs="h1"
        title="Sign in with an emailed code"
        description="For browsers that can't use passkeys. Changes that need a passkey (adding or removing one, changing your email, deleting the account) stay out of reach until you sign in with one."
        footer={
          <>
            Have a passkey here? <Link href="/login">Sign in with it</Link>
          </>
        }
      >
        <EmailSignInForm next="/account" linkToken={typeof token === "string" ? token : null} />
      </Card>
    </div>
  );
}
