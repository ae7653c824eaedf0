/**
 * Where to send someone after sign-in. Only a path on this site is accepted; anything else
 * (`//evil.example`, `https://evil.example`, `/\evil.example`, `javascript:`) becomes "/".
 * Pure, so the browser and the server share it.
 *
 * The decision is made on the path the browser will actually follow, after every normalisation:
 * `new URL()` resolves dot segments (also encoded ones, `%2e`), so `/.//evil.example` comes out as
 * `//evil.example`, which a browser reads as another host. Checking the input string alone is
 * not enough; the output is checked again, and must be a fixed point of the same normalisation.
 */
const BASE = "http://same-origin.invalid";
/** Longer than any real path of this app; a URL this long is an attack or a mistake. */
const MAX_LENGTH = 2048;

export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length > MAX_LENGTH || !next.startsWith("/")) return "/";
  // Control characters and backslashes are where parsers disagree; refuse rather than normalise.
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  const path = normalise(next);
  if (path === null || !isPlainPath(path) || normalise(path) !== path) return "/";
  return path;
}

/** The path, query and fragment `value` resolves to on this origin, or null when it leaves it. */
function normalise(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null; // e.g. `//@`: an authority that is not a valid host
  }
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null;
}

/** One leading slash, not two: `//host` and `/\host` name another host when used as a Location. */
function isPlainPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}

export function loginPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === "/" ? "/login" : `/login?next=${encodeURIComponent(safe)}`;
}
