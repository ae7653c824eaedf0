/**
 * The WebAuthn Signal API tells the person's passkey provider what the site knows, so stale
 * passkeys stop being offered and names stay current. Every call is best effort: where the browser
 * lacks the API (or refuses), nothing happens and the caller carries on; each returns whether the
 * signal was delivered.
 */
type SignalApi = {
  signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void>;
  signalAllAcceptedCredentials?: (options: { rpId: string; userId: string; allAcceptedCredentialIds: string[] }) => Promise<void>;
  signalCurrentUserDetails?: (options: { rpId: string; userId: string; name: string; displayName: string }) => Promise<void>;
};

async function signal<K extends keyof SignalApi>(method: K, options: Parameters<NonNullable<SignalApi[K]>>[0]): Promise<boolean> {
  const api = (globalThis.PublicKeyCredential ?? undefined) as unknown as SignalApi | undefined;
  const call = api?.[method] as ((options: unknown) => Promise<void>) | undefined;
  if (!call) return false;
  try {
    await call.call(api, options);
    return true;
  } catch {
    return false;
  }
}

/** After the server answered @error/OrphanedPasskey: this credential no longer exists here. */
export const signalUnknownCredential = (rpId: string, credentialId: string) =>
  signal("signalUnknownCredential", { rpId, credentialId });

/**
 * After a passkey (or the whole account) was deleted: the complete list of this account's
 * credential ids the site still accepts; the provider may hide or delete the others. `userHandle`
 * is the account's WebAuthn user handle (base64url), not its database id. An empty list says none.
 */
export const signalAllAcceptedCredentials = (accepted: { rpId: string; userHandle: string; credentialIds: string[] }) =>
  signal("signalAllAcceptedCredentials", {
    rpId: accepted.rpId,
    userId: accepted.userHandle,
    allAcceptedCredentialIds: accepted.credentialIds,
  });

/** After a change of email or name: what the provider should show for this account's passkeys. */
export const signalCurrentUserDetails = (details: { rpId: string; userHandle: string; name: string; displayName: string }) =>
  signal("signalCurrentUserDetails", {
    rpId: details.rpId,
    userId: details.userHandle,
    name: details.name,
    displayName: details.displayName,
  });
