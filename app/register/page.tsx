import { Card } from "../ui";
import { RegisterForm } from "./register-form";

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <Card title="Create an account">
      <p className="text-sm text-slate-600">
        Your device will create a passkey for this site. There is no password.
      </p>
      <RegisterForm next={next ?? "/account"} />
    </Card>
  );
}
