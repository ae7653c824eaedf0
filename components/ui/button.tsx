"use client";

// A client component: its click handler (which swallows clicks while loading) must run in the
// browser. It still renders on the server like any other component.
import Link from "next/link";
import type { ComponentProps, MouseEvent } from "react";
import { buttonClasses, type ButtonStyle } from "./button-styles";
import { cx } from "./cx";
import { Spinner } from "./spinner";

export interface ButtonProps extends ComponentProps<"button">, ButtonStyle {
  /**
   * Work in progress: shows a spinner, sets aria-busy and ignores clicks. The button stays
   * focusable (aria-disabled, not disabled) so keyboard focus is not thrown back to the top of
   * the page while a passkey prompt is open, and lands back where it was when it closes.
   */
  loading?: boolean;
}

export function Button({ variant, size, fullWidth, loading = false, type = "button", className, onClick, children, ...rest }: ButtonProps) {
  function click(event: MouseEvent<HTMLButtonElement>) {
    // Also cancels a form's implicit submission (Enter in a field clicks its submit button).
    if (loading) return event.preventDefault();
    onClick?.(event);
  }
  return (
    <button
      type={type}
      {...rest}
      onClick={click}
      aria-busy={loading || undefined}
      aria-disabled={loading || rest["aria-disabled"] || undefined}
      className={cx(buttonClasses({ variant, size, fullWidth }), className)}
    >
      {loading ? <Spinner /> : null}
      {children}
    </button>
  );
}

/** A link that looks like a button: for navigation ("Create account", "Go to your account"). */
export function ButtonLink({ variant, size, fullWidth, className, ...rest }: ComponentProps<typeof Link> & ButtonStyle) {
  return <Link {...rest} className={cx(buttonClasses({ variant, size, fullWidth }), className)} />;
}
