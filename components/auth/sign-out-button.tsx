"use client";

import { signOut } from "@/app/account/actions";
import { Button, flashNotice, type ButtonProps } from "@/components/ui";

/** A form posting to the signOut server action; says "You're signed out." on the page it lands on. */
export function SignOutButton(props: Omit<ButtonProps, "type">) {
  return (
    <form action={signOut} onSubmit={() => flashNotice("You're signed out.")}>
      <Button type="submit" {...props}>
        Sign out
      </Button>
    </form>
  );
}
