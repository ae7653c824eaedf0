import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Card } from "@/components/ui";
import { outboxEnabled, readOutbox } from "@/lib/mail";

export const metadata: Metadata = { title: "Outbox (development)", robots: { index: false } };

/**
 * The development outbox: the mails the app "sent" with no SMTP_URL (lib/mail). 404 unless the
 * outbox is on (NODE_ENV=development, or MAIL_OUTBOX=1 as the e2e server sets): a production
 * server never lists anyone's codes. Plain text only; the HTML body is in the JSON file.
 */
export default async function OutboxPage() {
  await connection(); // per request, never prerendered
  if (!outboxEnabled()) notFound();
  const messages = await readOutbox();
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
        <p className="text-sm text-fg-muted">
          Development only: mail written to data/outbox/ instead of being sent. Set SMTP_URL to send real mail.
        </p>
      </div>
      {messages.length === 0 ? <p className="text-sm text-fg-muted">No mail yet.</p> : null}
      {messages.map((message) => (
        <Card key={message.id} title={message.subject} description={`To ${message.to} · ${message.date}`}>
          <pre className="text-sm whitespace-pre-wrap wrap-anywhere" data-testid="outbox-message">
            {message.text}
          </pre>
        </Card>
      ))}
    </div>
  );
}
