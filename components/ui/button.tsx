import Link from "next/link";
import type { ComponentProps, MouseEvent } from "react";
import { cx } from "./cx";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg";

interface ButtonStyle {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Stretch to the container's width (forms, narrow cards). */
  fullWidth?: boolean;
}

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-primary text-primary-fg hover:bg-primary-hover",
  secondary: "border border-line-strong bg-surface text-fg hover:bg-surface-muted",
  danger: "bg-danger text-danger-fg hover:bg-danger-hover",
  ghost: "text-fg hover:bg-surface-muted",
};

const SIZES: Record<ButtonSize, string> = {
  sm: "h-8 px-3 text-sm",
  md: "h-10 px-4 text-sm",
  lg: "h-12 px-5 text-base",
};

/** The classes of a button, for the rare element that must look like one without being one. */
export function buttonClasses({ variant = "primary", size = "md", fullWidth = false }: ButtonStyle = {}) {
  return cx(
    "inline-flex items-center justify-center gap-2 rounded-lg font-medium no-underline transition-colors",
    "disabled:cursor-not-allowed disabled:opacity-50 aria-disabled:cursor-not-allowed aria-busy:cursor-progress",
    VARIANTS[variant],
    SIZES[size],
    fullWidth && "w-full",
  );
}

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
