import { requireSession } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";
import { Card } from "@/components/ui";
import { signOut } from "./actions";

const formatDate = (date: Date | null) =>
  date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never";

export default async function AccountPage() {
  // The data layer checks the session itself (JWT and live row); proxy.ts is only a fast path.
  const session = await requireSession("/account");
  const vault = getVault();
  const [user, passkeys] = await Promise.all([vault.getAccount(session), vault.listPasskeys(session)]);

  return (
    <Card titleAs="h1" title="Your account">
      <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-500">Name</dt>
        <dd data-testid="display-name">{user.displayName}</dd>
        <dt className="text-slate-500">Email</dt>
        <dd data-testid="email">{user.email}</dd>
      </dl>

      <div className="space-y-2">
        <h2 className="font-semibold">Passkeys</h2>
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="px-4 py-3 text-sm">
              <p className="font-medium">{passkey.name}</p>
              <p className="text-slate-500">
                Created {formatDate(passkey.createdAt)} · Last used {formatDate(passkey.lastUsedAt)} ·{" "}
                {passkey.backedUp ? "Synced" : "This device only"}
              </p>
            </li>
          ))}
        </ul>
      </div>

      <form action={signOut}>
        <button type="submit" className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium">
          Sign out
        </button>
      </form>
    </Card>
  );
}
