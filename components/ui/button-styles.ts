import { cx } from "./cx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg";

export interface ButtonStyle {
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
