import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { RecoverForm } from "./recover-form";

export const metadata: Metadata = { title: "Recover your account" };

/** "Lost your passkey?": an emailed code, then a new passkey. `?token=` is the emailed link. */
export default async function RecoverPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <Card
        titleAs="h1"
        title="Lost your passkey?"
        description="We'll email you a code. With it you can create a new passkey on this device."
        footer={
          <>
            Found it? <Link href="/login">Sign in</Link>
          </>
        }
      >
        <RecoverForm linkToken={typeof token === "string" ? token : null} />
      </Card>
    </div>
  );
}
