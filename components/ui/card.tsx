import type { ReactNode } from "react";
import { cx } from "./cx";

export interface CardProps {
  title?: ReactNode;
  /** The heading level of the title: "h1" when the card is the page (sign in, register). */
  titleAs?: "h1" | "h2" | "h3";
  description?: ReactNode;
  /** Beside the title, e.g. an "Add passkey" button. */
  actions?: ReactNode;
  /** A bottom strip, e.g. "New here? Create an account". */
  footer?: ReactNode;
  className?: string;
  children?: ReactNode;
}

/** A surface with an optional header (title, description, actions), a body and a footer. */
export function Card({ title, titleAs: Heading = "h2", description, actions, footer, className, children }: CardProps) {
  const hasHeader = !!(title || description || actions);
  return (
    <section className={cx("rounded-xl border border-line bg-surface shadow-sm", className)}>
      {hasHeader ? (
        <header className="flex flex-wrap items-start justify-between gap-3 px-6 pt-6">
          <div className="min-w-0 space-y-1">
            {title ? <Heading className="text-xl font-semibold tracking-tight text-fg">{title}</Heading> : null}
            {description ? <div className="text-sm text-fg-muted">{description}</div> : null}
          </div>
          {actions ? <div className="flex shrink-0 gap-2">{actions}</div> : null}
        </header>
      ) : null}
      {children ? <div className={cx("space-y-5 px-6 pb-6", hasHeader ? "pt-5" : "pt-6")}>{children}</div> : null}
      {footer ? <footer className="rounded-b-xl border-t border-line bg-surface-muted/50 px-6 py-4 text-sm text-fg-muted">{footer}</footer> : null}
    </section>
  );
}
