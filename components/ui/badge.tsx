import type { ReactNode } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "error";

const TONES: Record<BadgeTone, string> = {
  neutral: "border-line bg-surface-muted text-fg",
  info: "border-info-line bg-info-bg text-info-fg",
  success: "border-success-line bg-success-bg text-success-fg",
  warning: "border-warning-line bg-warning-bg text-warning-fg",
  error: "border-error-line bg-error-bg text-error-fg",
};

/** A short status label: "Synced", "This device only", "Current session". */
export function Badge({ tone = "neutral", className, children }: { tone?: BadgeTone; className?: string; children: ReactNode }) {
  return (
    <span className={cx("inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap", TONES[tone], className)}>
      {children}
    </span>
  );
}
