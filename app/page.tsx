import Link from "next/link";
import { getSession } from "@/lib/session";

export default async function HomePage() {
  const session = await getSession();
  return (
    <section className="space-y-6">
      <h1 className="text-3xl font-bold">Sign in without passwords</h1>
      <p className="text-slate-600">
        This app signs people in with passkeys: a key pair kept by your device or password manager,
        unlocked with your fingerprint, face or screen lock. Nothing to remember, nothing to phish.
      </p>
      {session ? (
        <Link href="/account" className="inline-block rounded-lg bg-slate-900 px-4 py-2 text-white">
          Go to your account
        </Link>
      ) : (
        <div className="flex gap-3">
          <Link href="/register" className="rounded-lg bg-slate-900 px-4 py-2 text-white">
            Create an account
          </Link>
          <Link href="/login" className="rounded-lg border border-slate-300 px-4 py-2">
            Sign in
          </Link>
        </div>
      )}
    </section>
  );
}
