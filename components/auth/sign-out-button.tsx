"use client";

import { Button, type ButtonProps } from "@/components/ui";

/**
 * Signs out with a plain form POST to app/sign-out/route.ts, which revokes the session, clears the
 * cookie and the site's storage, and lands on the login page saying "You're signed out."
 */
export function SignOutButton(props: Omit<ButtonProps, "type">) {
  return (
    <form method="post" action="/sign-out">
      <Button type="submit" {...props}>
        Sign out
      </Button>
    </form>
  );
}
