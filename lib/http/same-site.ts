import { VaultError } from "../vault/errors";

/**
 * The cross-site rule for every state-changing request (route handlers and server actions):
 *
 * - `Origin` present: it must be the app's origin (APP_ORIGIN). `Origin: null` (sandboxed frames,
 *   some redirects) is refused like any other site.
 * - `Origin` absent: `Sec-Fetch-Site` must be `same-origin` or `none` (typed in the address bar,
 *   a bookmark). `cross-site` and `same-site` (a sibling subdomain, which may be run by others) are
 *   refused.
 * - Neither header: allowed. Browsers send `Origin` on every POST (and `Sec-Fetch-Site` on every
 *   request, since 2023), so such a request is not a browser's: curl, a server-to-server call, a
 *   test. Those carry no victim's cookies, so they cannot be a cross-site request forgery; the rate
 *   limits still apply to them.
 *
 * Pure (Headers in), shared by `jsonRoute` and `lib/session/guards.ts`.
 */
export function assertSameSite(headers: Headers, appOrigin: string): void {
  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin !== appOrigin) throw forbidden(`it came from ${origin}`, appOrigin);
    return;
  }
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw forbidden(`the browser says it came from another site (Sec-Fetch-Site: ${site})`, appOrigin);
  }
}

/**
 * Names both origins and the setting, in the answer and in the server log: the usual cause in
 * development is the app opened at another address than APP_ORIGIN (127.0.0.1 for localhost, or
 * another port), and the fix is to open it at APP_ORIGIN or change that variable. The configured
 * origin is public (it is every page's address), so naming it tells an attacker nothing.
 */
function forbidden(why: string, appOrigin: string): VaultError {
  const message = `Cross-site request refused: ${why}, but this app only accepts requests from ${appOrigin} (APP_ORIGIN). Open the app at ${appOrigin}, or set APP_ORIGIN to the address you use.`;
  console.warn(`[passkeys] ${message}`);
  return new VaultError("Forbidden", message);
}
