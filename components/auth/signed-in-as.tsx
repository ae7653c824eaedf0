import { Alert, ButtonLink } from "@/components/ui";
import { SignOutButton } from "./sign-out-button";

/**
 * On /login and /register when a session already exists: who is signed in, a way on, and a way
 * out. The form below stays usable: signing in again replaces this session (and revokes it).
 */
export function SignedInAs({ email, next }: { email: string; next: string }) {
  return (
    <Alert
      tone="info"
      title="You're already signed in"
      action={
        <div className="flex flex-wrap gap-2">
          <ButtonLink href={next} size="sm">
            Continue
          </ButtonLink>
          <SignOutButton variant="ghost" size="sm" />
        </div>
      }
    >
      <p>
        as <span className="font-medium wrap-anywhere">{email}</span>. To use another account, continue below.
      </p>
    </Alert>
  );
}
