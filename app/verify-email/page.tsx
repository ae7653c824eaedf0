import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { requireSession } from "@/lib/session";
import { VerifyEmailLink } from "./verify-email-link";

export const metadata: Metadata = { title: "Confirm your email" };

/** The emailed verification link lands here: a button confirms (a mail scanner's GET spends nothing). */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  await requireSession(`/verify-email${typeof token === "string" ? `?token=${encodeURIComponent(token)}` : ""}`);
  return (
    <div className="mx-auto max-w-md space-y-6">
      <Card titleAs="h1" title="Confirm your email" description="Confirm the email address of the account you're signed in to.">
        <VerifyEmailLink token={typeof token === "string" ? token : ""} />
      </Card>
    </div>
  );
}
