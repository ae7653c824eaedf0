import { ButtonLink, Card } from "@/components/ui";
import { getSession } from "@/lib/session";

const POINTS = [
  ["Nothing to remember", "Your device unlocks your passkey with your fingerprint, face or screen lock."],
  ["Nothing to phish", "A passkey only works on the site that made it, so a look-alike page gets nothing."],
  ["On all your devices", "Passkeys sync through your password manager, or sign in with your phone."],
] as const;

export default async function HomePage() {
  const session = await getSession();
  return (
    <div className="space-y-10">
      <section className="space-y-5">
        <h1 className="text-3xl font-bold tracking-tight text-balance sm:text-4xl">Sign in without passwords</h1>
        <p className="max-w-prose text-lg text-fg-muted">
          This app signs people in with passkeys: a key pair kept by your device or password manager, unlocked the way you
          unlock your phone.
        </p>
        <div className="flex flex-wrap gap-3">
          {session ? (
            <ButtonLink href="/account" size="lg">
              Go to your account
            </ButtonLink>
          ) : (
            <>
              <ButtonLink href="/register" size="lg">
                Create an account
              </ButtonLink>
              <ButtonLink href="/login" size="lg" variant="secondary">
                Sign in
              </ButtonLink>
            </>
          )}
        </div>
      </section>
      <ul className="grid gap-4 sm:grid-cols-3">
        {POINTS.map(([title, text]) => (
          <li key={title}>
            <Card title={title} titleAs="h2" className="h-full">
              <p className="text-sm text-fg-muted">{text}</p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
