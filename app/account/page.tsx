import type { Metadata } from "next";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Alert } from "@/components/ui";
import { requireSession } from "@/lib/session";
import { describeUserAgent } from "@/lib/user-agent";
import { describeAuthenticator } from "@/lib/vault/authenticators";
import { getVault } from "@/lib/vault/instance";
import { ActivitySection } from "./activity-section";
import { DeleteAccountSection } from "./delete-account-section";
import { PasskeysSection } from "./passkeys-section";
import { ProfileSection } from "./profile-section";
import { SessionsSection } from "./sessions-section";
import { StepUpProvider } from "./step-up";
import type { PasskeyView, SessionView } from "./view";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // The data layer checks the session itself (JWT and live row); proxy.ts is only a fast path.
  // Every read below is scoped to this session's user by the vault.
  const session = await requireSession("/account");
  const vault = getVault();
  const [account, passkeys, sessions, activity] = await Promise.all([
    vault.getAccount(session),
    vault.listPasskeys(session),
    vault.listSessions(session),
    vault.listSecurityEvents(session, { limit: 10 }),
  ]);

  const passkeyViews: PasskeyView[] = passkeys.map((passkey) => ({
    id: passkey.id,
    name: passkey.name,
    provider: describeAuthenticator(passkey.aaguid).name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
    synced: passkey.backedUp,
    current: passkey.id === session.passkeyId,
  }));
  const sessionViews: SessionView[] = sessions.map((row) => {
    const device = describeUserAgent(row.userAgent);
    return {
      id: row.id,
      device: device.label,
      deviceKind: device.device,
      current: row.current,
      emailCode: row.method === "email_code",
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
    };
  });

  return (
    <StepUpProvider>
      <div className="space-y-8">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="min-w-0 space-y-1">
            <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
            <p className="text-sm text-fg-muted">Your passkeys, where you&rsquo;re signed in, and your details.</p>
          </div>
          <SignOutButton variant="secondary" size="sm" />
        </div>
        {session.method === "email_code" ? (
          <Alert tone="info" title="You signed in with an emailed code">
            You can see your account, but adding or removing passkeys, changing your email, signing out other sessions and
            deleting the account need a passkey. Sign in with one, in a browser that supports passkeys, to make those changes.
          </Alert>
        ) : null}
        <ProfileSection
          profile={{
            email: account.email,
            displayName: account.displayName,
            emailVerified: account.emailVerified,
            createdAt: account.createdAt.toISOString(),
          }}
        />
        <PasskeysSection passkeys={passkeyViews} />
        <SessionsSection sessions={sessionViews} />
        <ActivitySection events={activity} />
        <DeleteAccountSection email={account.email} />
      </div>
    </StepUpProvider>
  );
}
