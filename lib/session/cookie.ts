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

/**
 * The ceremony cookie: a random value the browser keeps for a few minutes while it runs a passkey
 * ceremony. The challenge and then the code carry its hash, and the sign-in action redeems a code
 * only for the browser that holds it, so a code obtained in one browser (copied, logged, phished)
 * cannot sign in another. SameSite=Strict: only this site's own requests carry it.
 */
export function ceremonyCookie({ origin }: { origin: string }) {
  const secure = origin.startsWith("https://");
  return {
    name: secure ? "__Host-ceremony" : "ceremony",
    // Long enough for a challenge (at most 10 minutes) and then its code (at most 2).
    options: { httpOnly: true, secure, sameSite: "strict" as const, path: "/", maxAge: 12 * 60 },
  };
}

/**
 * The recovery cookie: the restricted session an email recovery code grants (lib/vault/recovery.ts).
 * Its own cookie, so nothing that reads the session cookie ever sees it; SameSite=Strict, and it
 * lives no longer than the recovery session (10 minutes).
 */
export function recoveryCookie({ origin }: { origin: string }) {
  const secure = origin.startsWith("https://");
  return {
    name: secure ? "__Host-recovery" : "recovery",
    options: { httpOnly: true, secure, sameSite: "strict" as const, path: "/", maxAge: 10 * 60 },
  };
}
