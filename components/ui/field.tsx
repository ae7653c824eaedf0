import { useId, type ComponentProps } from "react";
import { cx } from "./cx";

/** A bare text input in the design system's style. `invalid` sets aria-invalid and the red border. */
export function Input({ invalid, className, ...rest }: ComponentProps<"input"> & { invalid?: boolean }) {
  return (
    <input
      {...rest}
      aria-invalid={invalid || undefined}
      className={cx(
        "h-10 w-full min-w-0 rounded-lg border border-line-strong bg-surface px-3 text-base text-fg sm:text-sm",
        "placeholder:text-fg-muted disabled:opacity-50 aria-invalid:border-error-fg",
        className,
      )}
    />
  );
}

export interface FieldProps extends ComponentProps<"input"> {
  label: string;
  /** Help shown under the input, always. */
  hint?: string;
  /** The field's error, shown under it in place of the browser's bubble (forms use noValidate). */
  error?: string | null;
}

/**
 * A labelled input with its hint and inline error. The error and hint are tied to the input with
 * aria-describedby, so a screen reader reads them when the input gets focus; aria-invalid marks it.
 */
export function Field({ label, hint, error, id, className, ...inputProps }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cx("space-y-1.5", className)}>
      <label htmlFor={inputId} className="block text-sm font-medium text-fg">
        {label}
      </label>
      <Input {...inputProps} id={inputId} invalid={!!error} aria-describedby={describedBy} />
      {error ? (
        <p id={errorId} className="flex gap-1.5 text-sm text-error-fg">
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="mt-0.5 size-4 shrink-0">
            <path fillRule="evenodd" clipRule="evenodd" d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm-.75-11.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4ZM10 14.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
          </svg>
          <span>{error}</span>
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-sm text-fg-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
