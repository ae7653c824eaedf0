"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Badge, Button, Card, RelativeTime, flashNotice } from "@/components/ui";
import { signalCurrentUserDetails } from "@/lib/passkey-client/signals";
import { changeDisplayName, changeEmail } from "./actions";
import { EditDialog } from "./edit-dialog";
import { VerifyEmail } from "./verify-email";
import { useStepUp } from "./step-up";
import type { ProfileView } from "./view";

/** Name and email. A change also reaches the person's passkey manager (signalCurrentUserDetails). */
export function ProfileSection({ profile }: { profile: ProfileView }) {
  const router = useRouter();
  const guard = useStepUp();
  const [editing, setEditing] = useState<"name" | "email" | null>(null);

  async function saved(message: string, details: { rpId: string; userHandle: string; name: string; displayName: string }) {
    await signalCurrentUserDetails(details);
    flashNotice(message);
    router.refresh();
  }

  return (
    <Card title="Profile" description="How you appear here and in your passkey manager.">
      <dl className="divide-y divide-line text-sm">
        <Row label="Name" action={<Button variant="secondary" size="sm" onClick={() => setEditing("name")} aria-label="Edit name">Edit</Button>}>
          <span data-testid="display-name">{profile.displayName}</span>
        </Row>
        <Row label="Email" action={<Button variant="secondary" size="sm" onClick={() => setEditing("email")} aria-label="Change email">Change</Button>}>
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span data-testid="email">{profile.email}</span>
            {profile.emailVerified ? <Badge tone="success">Confirmed</Badge> : <Badge tone="warning">Not confirmed</Badge>}
          </span>
        </Row>
        <Row label="Member since">
          <RelativeTime date={profile.createdAt} />
        </Row>
      </dl>
      {profile.emailVerified ? null : <VerifyEmail />}

      <EditDialog
        open={editing === "name"}
        onClose={() => setEditing(null)}
        title="Edit your name"
        label="Name"
        initialValue={profile.displayName}
        autoComplete="name"
        maxLength={64}
        onSave={async (value) => {
          const result = await changeDisplayName(value);
          if (result.ok) await saved("Your name was changed.", result);
          return result;
        }}
      />
      <EditDialog
        open={editing === "email"}
        onClose={() => setEditing(null)}
        title="Change your email"
        description="You'll sign in with your passkey as before; this is the email for your account."
        label="New email"
        type="email"
        initialValue={profile.email}
        autoComplete="email"
        onSave={async (value) => {
          const result = await guard("change your email", () => changeEmail(value));
          if (result.ok) await saved("Your email was changed.", result);
          return result;
        }}
      />
    </Card>
  );
}

function Row({ label, action, children }: { label: string; action?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:gap-4">
      <dt className="shrink-0 text-fg-muted sm:w-32">{label}</dt>
      <dd className="flex min-w-0 flex-1 items-center justify-between gap-3">
        <span className="min-w-0 font-medium wrap-anywhere">{children}</span>
        {action}
      </dd>
    </div>
  );
}
