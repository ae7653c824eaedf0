import { verificationFailed } from "./errors";

/**
 * Refuses a ceremony that ran inside an iframe of another site. The browser says so in
 * clientDataJSON: `crossOrigin: true`, and (where supported) the embedding page's `topOrigin`.
 *
 * SimpleWebAuthn checks `origin`, but accepts `crossOrigin: true` whenever `topOrigin` is absent
 * (Safari does not send it), so a page that frames this app could have people sign in, or create
 * passkeys, through it. This app is never embedded: any sign of embedding is refused.
 */
export function assertNotEmbedded(clientDataJSON: string): void {
  let clientData: unknown;
  try {
    clientData = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
  } catch (error) {
    throw verificationFailed(error);
  }
  if (typeof clientData !== "object" || clientData === null) {
    throw verificationFailed(new Error("clientDataJSON is not an object"));
  }
  const { crossOrigin, topOrigin } = clientData as { crossOrigin?: unknown; topOrigin?: unknown };
  // Absent (older browsers) or false are fine; true, or anything that is not a boolean, is not.
  if (crossOrigin !== undefined && crossOrigin !== false) {
    throw verificationFailed(new Error("cross-origin response: the ceremony ran embedded in another site"));
  }
  if (topOrigin !== undefined) {
    throw verificationFailed(new Error("response names a top origin: the ceremony ran embedded in another site"));
  }
}
