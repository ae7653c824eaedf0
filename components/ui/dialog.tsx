"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { cx } from "./cx";

export interface DialogProps {
  open: boolean;
  /** Called when the dialog asks to close: Escape, or a button calling it. Set `open` to false. */
  onClose: () => void;
  /** Names the dialog (aria-labelledby). */
  title: ReactNode;
  /** Describes it (aria-describedby): what will happen, what it needs from the person. */
  description?: ReactNode;
  /** Buttons, right-aligned under the body. */
  footer?: ReactNode;
  className?: string;
  children?: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element and showModal(): the browser makes the rest of the
 * page inert, moves focus into the dialog, closes it on Escape. Focus goes to the element marked
 * `data-autofocus`, else the first focusable one (React's autoFocus only acts at mount, when the
 * dialog is still closed), and returns on close to where it was. Controlled by `open`, so it can
 * host anything: a confirmation, or a step-up "Confirm it's you" passkey prompt.
 */
export function Dialog({ open, onClose, title, description, footer, className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const returnTo = document.activeElement as HTMLElement | null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
      return () => {
        if (dialog.open) dialog.close();
        returnTo?.focus();
      };
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      // Escape fires "cancel" then "close"; keep the parent's state in step either way.
      onClose={() => {
        if (open) onClose();
      }}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={cx(
        "m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-line bg-surface p-0 text-fg shadow-xl",
        "backdrop:bg-slate-950/60",
        className,
      )}
    >
      {/* wrap-anywhere: a long word (a passkey's name, an email) breaks instead of being cut off at the dialog's edge. */}
      <div className="space-y-4 p-6 wrap-anywhere">
        <div className="space-y-1.5">
          <h2 id={titleId} className="text-lg font-semibold tracking-tight">
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className="text-sm text-fg-muted">
              {description}
            </div>
          ) : null}
        </div>
        {children}
        {footer ? <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">{footer}</div> : null}
      </div>
    </dialog>
  );
}
