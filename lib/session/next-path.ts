/**
 * Where to send someone after sign-in. Only a path on this site is accepted; anything else
 * (`//evil.example`, `https://evil.example`, `/\evil.example`, `javascript:`) becomes "/".
 * Pure, so the browser and the server share it.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return "/";
  }
  // Control characters and backslashes are where parsers disagree; refuse rather than normalise.
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  const base = "http://same-origin.invalid";
  const url = new URL(next, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
}

export function loginPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === "/" ? "/login" : `/login?next=${encodeURIComponent(safe)}`;
}
