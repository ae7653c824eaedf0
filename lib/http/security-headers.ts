/**
 * The HTTP security headers that depend on the request or the deployment, set by proxy.ts on every
 * page and route. (The constant ones, the same for every response including static files, are in
 * next.config.mjs.)
 */

/** A fresh, unguessable nonce for one response's scripts and styles (128 bits, base64). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * A nonce-based Content-Security-Policy. Scripts run only with this response's nonce, and scripts
 * they load ('strict-dynamic': Next.js loads its chunks that way); no 'unsafe-inline', so an
 * injected <script> or event-handler attribute does not run. The app is never framed, never sends
 * forms elsewhere, and loads nothing from other origins. Next.js reads the nonce from this header
 * on the request and puts it on the scripts it renders.
 *
 * `development`: React's dev tools need eval; never in production.
 */
export function contentSecurityPolicy(nonce: string, { development = false, https = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * HSTS on https origins: browsers then refuse plain http for this host for two years, so a
 * network attacker cannot strip TLS on a later visit. (Add `preload` yourself once every subdomain
 * is https.) Nothing on http://localhost, where it would pin a developer's machine.
 */
export function strictTransportSecurity(origin: string): string | null {
  return origin.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
