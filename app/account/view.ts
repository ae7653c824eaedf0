/**
 * What the account page's client components receive: plain, serialisable data the server page
 * has already scoped to the signed-in user. No ids of other users, no key material.
 */

export interface ProfileView {
  email: string;
  displayName: string;
  /** Confirmed with an emailed code: only then can the email recover the account. */
  emailVerified: boolean;
  /** ISO date. */
  createdAt: string;
}

export interface PasskeyView {
  id: string;
  name: string;
  /** Who made it, from the AAGUID ("Google Password Manager"), or "Passkey" when unknown. */
  provider: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Backed up / synced across the person's devices, or bound to one device. */
  synced: boolean;
  /** The passkey this session signed in (or last confirmed) with. */
  current: boolean;
}

export interface SessionView {
  id: string;
  /** "Chrome on macOS", from the User-Agent the session started with. */
  device: string;
  deviceKind: "desktop" | "mobile" | "tablet" | "unknown";
  current: boolean;
  /** Signed in with an emailed code (no passkey): it cannot make sensitive changes. */
  emailCode: boolean;
  createdAt: string;
  lastSeenAt: string;
}
