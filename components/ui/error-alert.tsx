import { describeError, type ErrorMessage } from "@/lib/passkey-client/messages";
import type { PasskeyError } from "@/lib/passkey-client/result";
import { Alert, type AlertTone } from "./alert";
import { Button, ButtonLink } from "./button";

export interface ErrorAlertProps {
  error: PasskeyError | null;
  /** What "Try again" does; without it a retry step is not offered. */
  onRetry?: () => void;
  /** Words for this situation instead of the error's usual ones (see lib/passkey-client/messages.ts). */
  described?: ErrorMessage;
  tone?: AlertTone;
}

/**
 * A wire error in plain words with its next step. data-testid="error" and data-error-tag let
 * tests (and analytics) tell which error is on screen without depending on its wording.
 */
export function ErrorAlert({ error, onRetry, described, tone = "error" }: ErrorAlertProps) {
  if (!error) return null;
  const { title, message, action } = described ?? describeError(error);
  let next = null;
  if (action?.kind === "link") {
    next = (
      <ButtonLink href={action.href} variant="secondary" size="sm">
        {action.label}
      </ButtonLink>
    );
  } else if (action?.kind === "retry" && onRetry) {
    next = (
      <Button variant="secondary" size="sm" onClick={onRetry}>
        {action.label}
      </Button>
    );
  }
  return (
    <Alert tone={tone} title={title} action={next} data-testid="error" data-error-tag={error.tag}>
      {message}
    </Alert>
  );
}
