import Link from "next/link";
import { Card } from "../ui";
import { LoginForm } from "./login-form";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <Card title="Sign in">
      <LoginForm next={next ?? "/account"} />
      <p className="text-sm text-slate-600">
        New here? <Link href="/register" className="underline">Create an account</Link>
      </p>
    </Card>
  );
}
