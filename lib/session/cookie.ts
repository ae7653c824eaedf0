import "server-only";
/**
 * The session cookie. On https it is `__Host-session`: the prefix makes the browser refuse it unless
 * it is Secure, has Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite it.
 * Plain-http localhost cannot hold Secure cookies, so there it is just `session`.
 */
export function sessionCookie({ origin }: { origin: string }) {
  const secure = origin.startsWith("https://");
  return {
    name: secure ? "__Host-session" : "session",
    options: { httpOnly: true, secure, sameSite: "lax" as const, path: "/" },
  };
}
