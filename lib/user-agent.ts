import { BROWSER_MAP, parse } from "bowser";

/**
 * A readable description of the device behind a User-Agent header, for lists of sessions and
 * passkeys ("Chrome on macOS", "Safari on iPhone"). Framework-free.
 *
 * It is a hint for people, never a security decision: the header is whatever the client sends.
 * Since iPadOS 13, Safari on an iPad sends the macOS header by default, so it reads "Safari on
 * macOS"; no parser can tell them apart from the header alone.
 */
export interface UserAgentDescription {
  browser?: string;
  os?: string;
  device: "desktop" | "mobile" | "tablet" | "unknown";
  label: string;
}

// Real headers are a few hundred characters. Longer ones are cut before parsing so that a hostile
// header costs no more regex work than an ordinary one.
const MAX_LENGTH = 512;

// When bowser recognises no browser it takes the header's first word ("Mozilla" for a bare
// "Mozilla/5.0 (Windows NT 10.0)"); only the names it knows are worth showing.
const KNOWN_BROWSERS = new Set<string>(Object.values(BROWSER_MAP));

// Bowser's names, shortened to what people call these browsers.
const SHORT_NAMES: Record<string, string> = {
  "Microsoft Edge": "Edge",
  "Samsung Internet for Android": "Samsung Internet",
};

export function describeUserAgent(ua: string | null | undefined): UserAgentDescription {
  const header = (ua ?? "").slice(0, MAX_LENGTH).trim();
  // Bowser throws on an empty string.
  if (!header) return { device: "unknown", label: "Unknown browser" };

  const result = parse(header);
  const name = result.browser.name;
  // Bowser calls headless Chrome plain Chrome; a session opened by automation is worth spotting.
  const browser = /HeadlessChrome\//.test(header)
    ? "Headless Chrome"
    : name && KNOWN_BROWSERS.has(name)
      ? (SHORT_NAMES[name] ?? name)
      : undefined;
  const os = result.os.name;
  const type = result.platform.type;
  const device = type === "desktop" || type === "mobile" || type === "tablet" ? type : "unknown";

  // "Safari on iPhone" reads better than "Safari on iOS"; bowser names the model for Apple devices.
  const place = os === "iOS" && result.platform.model ? result.platform.model : os;
  const label = `${browser ?? "Unknown browser"}${place ? ` on ${place}` : ""}`;

  return { browser, os: os || undefined, device, label };
}
