"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge, Button, Card, ErrorAlert, RelativeTime, flashNotice } from "@/components/ui";
import { isCancelled, type PasskeyError } from "@/lib/passkey-client/result";
import { signOutOtherSessions, signOutSession } from "./actions";
import { IconTile, PHONE } from "./icon-tile";
import { useStepUp } from "./step-up";
import { useFocusAfterRemoval } from "./use-focus-after-removal";
import type { SessionView } from "./view";

/** Where the account is signed in: this device first; sign out one other, or all others. */
export function SessionsSection({ sessions }: { sessions: SessionView[] }) {
  const router = useRouter();
  const guard = useStepUp();
  const [error, setError] = useState<PasskeyError | null>(null);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<string | null>(null);
  const others = sessions.filter((session) => !session.current).length;
  // After a sign-out, the button that did it is gone with its row.
  const { list, focusListWhenGone } = useFocusAfterRemoval<HTMLUListElement>(sessions);

  function end(target: "others" | SessionView) {
    setError(null);
    setBusy(target === "others" ? "others" : target.id);
    startTransition(async () => {
      const result =
        target === "others"
          ? await guard("sign out your other sessions", signOutOtherSessions)
          : await guard("sign out another session", () => signOutSession(target.id));
      setBusy(null);
      if (!result.ok) {
        if (!isCancelled(result.error)) setError(result.error);
        return;
      }
      flashNotice(target === "others" ? "Signed out everywhere else." : `Signed out of ${target.device}.`);
      focusListWhenGone(target === "others" ? sessions.filter((session) => !session.current).map((session) => session.id) : [target.id]);
      router.refresh();
    });
  }

  return (
    <Card
      title="Where you're signed in"
      description="Sign out anywhere you don't recognise. Signing out ends that session at once."
      actions={
        others > 0 ? (
          <Button variant="secondary" size="sm" onClick={() => end("others")} loading={pending && busy === "others"}>
            Sign out all other sessions
          </Button>
        ) : null
      }
    >
      <ErrorAlert error={error} />
      <ul ref={list} tabIndex={-1} aria-label="Where you're signed in" className="divide-y divide-line rounded-lg border border-line" data-testid="sessions">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center" data-testid="session">
            <DeviceIcon kind={session.deviceKind} />
            <div className="min-w-0 flex-1 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <p className="font-medium wrap-anywhere">{session.device}</p>
                {session.current ? <Badge tone="success">This device</Badge> : null}
                {session.emailCode ? <Badge tone="neutral">Emailed code</Badge> : null}
              </div>
              <p className="text-sm text-fg-muted">
                Signed in <RelativeTime date={session.createdAt} /> · Last active <RelativeTime date={session.lastSeenAt} />
              </p>
            </div>
            {session.current ? null : (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => end(session)}
                loading={pending && busy === session.id}
                aria-label={`Sign out ${session.device}`}
              >
                Sign out
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function DeviceIcon({ kind }: { kind: SessionView["deviceKind"] }) {
  const laptop = (
    <>
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </>
  );
  return <IconTile>{kind === "mobile" || kind === "tablet" ? PHONE : laptop}</IconTile>;
}
