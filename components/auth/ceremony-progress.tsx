import type { ReactNode } from "react";
import { Alert, Button } from "@/components/ui";

/**
 * Under a button that started a passkey ceremony: Cancel, and after a while without an answer
 * (`slow`, from useCeremony) a hint where the browser's prompt may be. Nothing when idle.
 */
export function CeremonyProgress({
  pending,
  slow,
  onCancel,
  hint = "Look for a window from your browser, phone or password manager; it may be behind this one.",
}: {
  pending: boolean;
  slow: boolean;
  onCancel: () => void;
  hint?: ReactNode;
}) {
  if (!pending) return null;
  return (
    <div className="space-y-3">
      {slow ? (
        <Alert tone="info" title="Don't see a prompt?">
          {hint}
        </Alert>
      ) : null}
      <Button variant="ghost" fullWidth onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
