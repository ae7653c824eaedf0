import type { ComponentProps, ReactNode } from "react";
import { cx } from "./cx";

export type AlertTone = "error" | "warning" | "info" | "success";

const TONES: Record<AlertTone, string> = {
  error: "border-error-line bg-error-bg text-error-fg",
  warning: "border-warning-line bg-warning-bg text-warning-fg",
  info: "border-info-line bg-info-bg text-info-fg",
  success: "border-success-line bg-success-bg text-success-fg",
};

// 20×20 solid icons; the tone is also in the words and the role, never in the colour alone.
const ICONS: Record<AlertTone, string> = {
  error: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm-.75-11.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4ZM10 14.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z",
  warning: "M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 6a.75.75 0 0 0-.75.75v3.5a.75.75 0 0 0 1.5 0v-3.5A.75.75 0 0 0 10 6Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
  info: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-11.25a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM9 9.75A.75.75 0 0 1 9.75 9h.5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0V10.5A.75.75 0 0 1 9 9.75Z",
  success: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.857-9.809a.75.75 0 0 0-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 1 0-1.06 1.061l2.5 2.5a.75.75 0 0 0 1.137-.089l4-5.5Z",
};

export interface AlertProps extends Omit<ComponentProps<"div">, "title"> {
  tone?: AlertTone;
  title?: ReactNode;
  /** The next step: a ButtonLink or Button ("Sign in instead", "Try again"). */
  action?: ReactNode;
}

/**
 * A message in the page. Errors are role="alert" (read out at once when they appear); the other
 * tones are role="status" (read out politely). Extra props (data-testid…) go on the outer element.
 */
export function Alert({ tone = "info", title, action, className, children, ...rest }: AlertProps) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      {...rest}
      className={cx("flex gap-3 rounded-lg border px-4 py-3 text-sm", TONES[tone], className)}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="mt-0.5 size-5 shrink-0">
        <path fillRule="evenodd" clipRule="evenodd" d={ICONS[tone]} />
      </svg>
      <div className="min-w-0 flex-1 space-y-1 break-words">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div>{children}</div> : null}
        {action ? <div className="pt-2">{action}</div> : null}
      </div>
    </div>
  );
}
