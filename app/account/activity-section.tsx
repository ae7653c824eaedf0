import { Badge, Card, RelativeTime } from "@/components/ui";
import { describeUserAgent } from "@/lib/user-agent";
import type { SecurityEventSummary, SecurityEventType } from "@/lib/vault";

/**
 * "Recent activity": the account's latest security events, in plain words, so the person can spot
 * what they did not do. A server component: nothing here is interactive. The vault has already
 * scoped the events to this session's user and left out what only the server may see (refusal
 * reasons, the addresses of an email change).
 */

/** What happened, in words; `{name}` is the passkey's name where the event has one. */
const LABELS: Record<SecurityEventType, string> = {
  signed_in: "Signed in",
  step_up: "Confirmed it's you",
  signed_out: "Signed out",
  signed_out_other: "Signed out another session",
  passkey_added: "Passkey added",
  passkey_renamed: "Passkey renamed",
  passkey_removed: "Passkey removed",
  email_changed: "Email changed",
  display_name_changed: "Name changed",
  verification_failed: "A sign-in with your passkey was refused",
  counter_regression: "A possible copy of your passkey was refused",
  backup_eligibility_changed: "Your passkey reported a different kind of storage than when it was added",
  rate_limited: "Too many attempts on your account were slowed down",
  email_verified: "Email address confirmed",
  recovery_started: "Account recovery started with an emailed code",
  recovered: "Account recovered by email: a passkey was added and other sessions signed out",
  email_claimed: "Email claimed by its owner: the passkeys added before it was confirmed were removed",
};

/** Events worth a second look even when the person did them: a refusal, or a passkey acting oddly. */
const NOTEWORTHY = new Set<SecurityEventType>(["verification_failed", "counter_regression", "backup_eligibility_changed", "rate_limited", "recovery_started", "recovered", "email_claimed"]);

function label(event: SecurityEventSummary): string {
  const { count, ceremony, method, service } = event.details;
  if (event.type === "verification_failed" && ceremony === "registration") return "Adding a passkey was refused";
  if (event.type === "signed_in" && method === "email_code") return "Signed in with an emailed code";
  // A sign-in another session system (next-auth) redeemed: it has its own session, not one of ours.
  if (event.type === "signed_in" && typeof service === "string") return `Signed in to ${service}`;
  if (event.type === "signed_out_other" && typeof count === "number") {
    return count === 1 ? "Signed out 1 other session" : `Signed out ${count} other sessions`;
  }
  return LABELS[event.type] ?? "Account activity";
}

/** The passkey's name and, for a sign-in, the browser it came from. */
function detail(event: SecurityEventSummary): string | null {
  const parts: string[] = [];
  if (typeof event.details.name === "string" && event.type !== "display_name_changed") parts.push(event.details.name);
  if (event.userAgent) parts.push(describeUserAgent(event.userAgent).label);
  return parts.length ? parts.join(" · ") : null;
}

export function ActivitySection({ events }: { events: SecurityEventSummary[] }) {
  return (
    <Card
      title="Recent activity"
      description="Sign-ins and changes to your account from the last 90 days. If something here wasn't you, sign out your other sessions and delete any passkey you don't recognise."
    >
      {events.length === 0 ? (
        <p className="text-sm text-fg-muted">Nothing yet.</p>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line" data-testid="activity">
          {events.map((event) => {
            const more = detail(event);
            return (
              <li key={event.id} className="flex flex-col gap-1 p-4" data-testid="activity-event">
                <div className="flex flex-wrap items-center gap-2">
                  <p className="font-medium">{label(event)}</p>
                  {NOTEWORTHY.has(event.type) ? <Badge tone="warning">Check this</Badge> : null}
                </div>
                <p className="text-sm text-fg-muted wrap-anywhere">
                  <RelativeTime date={event.createdAt} />
                  {more ? ` · ${more}` : null}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
