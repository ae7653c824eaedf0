import type { Metadata } from "next";
import Link from "next/link";
import { SignedInAs } from "@/components/auth/signed-in-as";
import { Card } from "@/components/ui";
import { safeNextPath } from "@/lib/session/next-path";
import { getCurrentUser } from "../current-user";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const user = await getCurrentUser();
  return (
    <div className="mx-auto max-w-md space-y-6">
      {user ? <SignedInAs email={user.email} next={safeNextPath(next ?? "/account")} /> : null}
      <Card
        titleAs="h1"
        title="Create an account"
        description="Your device will create a passkey for this site. There is no password."
        footer={
          <>
            Already have an account? <Link href="/login">Sign in</Link>
          </>
        }
      >
        <RegisterForm next={next ?? "/account"} />
      </Card>
    </div>
  );
}
