import dataset from "./data/passkey-aaguids.json";

/**
 * Which passkey provider made a passkey ("Google Password Manager", "1Password", …) and its icon,
 * from the AAGUID the authenticator reports at registration. The table has the shape of the
 * community-maintained passkey-authenticator-aaguids list; `npm run aaguids:update` fills it in
 * (see data/README.md).
 *
 * Import it from server code only (server components, route handlers, server actions): the full
 * list is about 320 KB of JSON, nearly all of it icons, and a client component that imported this
 * module would ship all of it to the browser. Pass the browser the icons of the passkeys it shows.
 */
export interface Authenticator {
  readonly name: string;
  /** A data: URI, safe for `<img src>`, for light backgrounds. */
  readonly iconLight?: string;
  /** A data: URI, safe for `<img src>`, for dark backgrounds. */
  readonly iconDark?: string;
}

const GENERIC: Authenticator = Object.freeze({ name: "Passkey" });

// Authenticators that prefer not to say what they are send the all-zero AAGUID.
const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";
const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Icons go into <img src>. An image loaded that way runs no script, SVG included, so base64 data
// URIs of these types are safe to render; anything else (javascript:, a tracking http: URL,
// text/html) is dropped. The bound keeps one odd entry from bloating every page that shows it: the
// largest icon in the list today is about 20 KB.
const ICON = /^data:image\/(?:svg\+xml|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const MAX_ICON_LENGTH = 32 * 1024;

export function isSafeIcon(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_ICON_LENGTH && ICON.test(value);
}

// The name becomes a passkey's default name, so it is held to the rules of a name a person types.
// Format characters (a right-to-left override, say) could make it read as something else.
function isPrintableName(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= 64 && !/[\p{Cc}\p{Cf}]/u.test(value);
}

/**
 * Reads a table shaped like the list's aaguid.json: `{ "<aaguid>": { name, icon_light?, icon_dark? } }`.
 * It is data from outside, so entries without a printable name are skipped and unsafe icons dropped.
 */
export function readAuthenticators(data: unknown): ReadonlyMap<string, Authenticator> {
  const table = new Map<string, Authenticator>();
  if (typeof data !== "object" || data === null) return table;

  for (const [key, entry] of Object.entries(data)) {
    const aaguid = key.toLowerCase();
    if (!AAGUID.test(aaguid) || aaguid === ZERO_AAGUID) continue;
    if (typeof entry !== "object" || entry === null) continue;
    const { name, icon_light, icon_dark } = entry as Record<string, unknown>;
    if (!isPrintableName(name)) continue;

    const authenticator: { name: string; iconLight?: string; iconDark?: string } = { name: name.trim() };
    if (isSafeIcon(icon_light)) authenticator.iconLight = icon_light;
    if (isSafeIcon(icon_dark)) authenticator.iconDark = icon_dark;
    // Shared by every caller, so nobody may change it.
    table.set(aaguid, Object.freeze(authenticator));
  }
  return table;
}

const AUTHENTICATORS = readAuthenticators(dataset);

/** The provider's name and icons; "Passkey" and no icon for an unknown or all-zero AAGUID. */
export function describeAuthenticator(aaguid: string): Authenticator {
  return AUTHENTICATORS.get(aaguid.toLowerCase()) ?? GENERIC;
}

/** A readable default name for a new passkey. People can rename their passkeys. */
export function passkeyName(aaguid: string): string {
  return describeAuthenticator(aaguid).name;
}
