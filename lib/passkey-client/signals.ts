/**
 * The WebAuthn Signal API tells the person's passkey provider what the site knows, so stale
 * passkeys stop being offered. Every call is best effort: where the browser lacks the API nothing
 * happens.
 */
type SignalApi = {
  signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void>;
};

/** After the server answered @error/OrphanedPasskey: this credential no longer exists here. */
export async function signalUnknownCredential(rpId: string, credentialId: string): Promise<boolean> {
  const api = (globalThis.PublicKeyCredential ?? undefined) as unknown as SignalApi | undefined;
  if (!api?.signalUnknownCredential) return false;
  try {
    await api.signalUnknownCredential({ rpId, credentialId });
    return true;
  } catch {
    return false;
  }
}
