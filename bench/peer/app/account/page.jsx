import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth, database } from "../../auth.mjs";

// The protected page: Better Auth's own session check, then the person's passkeys.
export default async function AccountPage() {
  const session = await auth.api.getSession({ headers: await headers() });
  if (!session) redirect("/");
  const passkeys = database
    .prepare("SELECT id, name, createdAt FROM passkey WHERE userId = ? ORDER BY createdAt")
    .all(session.user.id);
  return (
    <main>
      <h1>Your account</h1>
      <p>{session.user.email}</p>
      <ul>
        {passkeys.map((passkey) => (
          <li key={passkey.id}>{passkey.name ?? "Passkey"}</li>
        ))}
      </ul>
    </main>
  );
}
