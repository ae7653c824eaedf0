// A Playwright `test` with a virtual WebAuthn authenticator on each test's page (Chrome DevTools
// Protocol, WebAuthn domain), so passkey flows run headless with no device and no dialog.
import { test as base, expect } from "@playwright/test";

/** The fields of a CDP WebAuthn.Credential that the tests read. Binary fields are standard base64. */
export interface VirtualCredential {
  credentialId: string; // base64, where PublicKeyCredential.id is base64url
  isResidentCredential: boolean;
  rpId?: string;
  userHandle?: string;
  signCount: number;
}

export interface Authenticator {
  authenticatorId: string;
  credentials(): Promise<VirtualCredential[]>;
  /** false fails user verification (wrong PIN, unknown finger): get() rejects with NotAllowedError, even with "preferred". */
  setUserVerified(verified: boolean): Promise<void>;
  removeAll(): Promise<void>;
  /** false: the authenticator waits for a touch that never comes, as a person who has not acted yet. */
  setPresence(present: boolean): Promise<void>;
  /** Call before the action: the promise settles on the next event, not on a past one. */
  waitForCredentialAdded(): Promise<VirtualCredential>;
  waitForCredentialAsserted(): Promise<VirtualCredential>;
}

export const test = base.extend<{ authenticator: Authenticator }>({
  // auto: every test's page has an authenticator, whether or not the test reads it, as a person
  // signing in has their device.
  authenticator: [
    async ({ page }, use) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal", // a platform authenticator, like Touch ID or Windows Hello
        hasResidentKey: true, // passkeys are discoverable credentials
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true, // answers every ceremony without a prompt
      },
    });

    const nextEvent = (event: "WebAuthn.credentialAdded" | "WebAuthn.credentialAsserted") =>
      new Promise<VirtualCredential>((resolve) => cdp.once(event, ({ credential }) => resolve(credential)));

    await use({
      authenticatorId,
      credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
      setUserVerified: async (isUserVerified) => {
        await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
      },
      setPresence: async (enabled) => {
        await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled });
      },
      removeAll: async () => {
        await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
      },
      waitForCredentialAdded: () => nextEvent("WebAuthn.credentialAdded"),
      waitForCredentialAsserted: () => nextEvent("WebAuthn.credentialAsserted"),
    });

    if (page.isClosed()) return; // the session and its authenticator went with the page
    await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    await cdp.detach();
    },
    { auto: true },
  ],
});

export { expect };
