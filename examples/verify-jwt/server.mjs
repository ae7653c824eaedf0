// A service elsewhere that trusts the passkey app's sign-ins: it verifies the JWT sent as
// `Authorization: Bearer <jwt>` against the app's published keys, and never talks to its database.
//
//   VAULT_ORIGIN=https://app.example.com node server.mjs     # then GET / with a Bearer session JWT
//
// Everything that makes a JWT acceptable is pinned, never read from the token: the algorithm (the
// one the app signs with, JWT_ALGORITHM), the issuer (the app's origin), the audience and the
// `typ` (session+jwt for session JWTs; id+jwt and ID_TOKEN_AUDIENCE for the principal API's
// id_tokens). A session JWT's signature says nothing about sign-out: it stays valid until `exp`.
// An id_token's `email` is the person's only when its `email_verified` is true: never link
// accounts by an email whose email_verified is false (anyone can sign up with someone else's).
import http from "node:http";
import { pathToFileURL } from "node:url";
import { createRemoteJWKSet, jwtVerify } from "jose";

export const SESSION_TYP = "session+jwt";
export const ID_TOKEN_TYP = "id+jwt";

/**
 * The app's defaults: session JWTs for APP_ORIGIN, id_tokens for APP_ORIGIN#id_token. Distinct, so
 * even a verifier that forgot `typ` would not take one for the other.
 */
export const defaultAudience = (origin, typ) => (typ === ID_TOKEN_TYP ? `${origin}#id_token` : origin);

/** A function from a JWT to its verified claims; it throws for anything else. */
export function createVerifier({
  origin,
  typ = SESSION_TYP,
  audience = defaultAudience(origin, typ),
  algorithm = "RS256",
  // jose re-fetches the key set for a kid it does not know (a key the app just rotated in), but at
  // most once per cooldown, so tokens with made-up kids cannot turn into a flood of fetches.
  cooldownDuration = 30_000,
  // And at least this often: a key the app deleted stops verifying within this long.
  cacheMaxAge = 10 * 60_000,
}) {
  const keys = createRemoteJWKSet(new URL("/.well-known/jwks.json", origin), { cooldownDuration, cacheMaxAge });
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [algorithm], // never "none", never an HMAC keyed with the public key
      issuer: origin,
      audience,
      typ,
      requiredClaims: ["sub", "iat", "exp"], // jose checks exp only when present
    });
    return payload;
  };
}

/** GET anything with a valid Bearer JWT: 200 `{ sub, claims }`; otherwise 401. */
export function createServer(options) {
  const verify = createVerifier(options);
  return http.createServer(async (request, response) => {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    let status = 401;
    let body = { error: "invalid_token" };
    if (token) {
      try {
        const claims = await verify(token);
        [status, body] = [200, { sub: claims.sub, claims }];
      } catch {
        // The reason (expired, bad signature, wrong audience…) is not the caller's business.
      }
    }
    response.writeHead(status, {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...(status === 401 ? { "WWW-Authenticate": 'Bearer error="invalid_token"' } : {}),
    });
    response.end(JSON.stringify(body));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { VAULT_ORIGIN, JWT_AUDIENCE, JWT_TYP, JWT_ALGORITHM, PORT = "4000" } = process.env;
  if (!VAULT_ORIGIN) throw new Error("Set VAULT_ORIGIN to the passkey app's origin, e.g. http://localhost:3000");
  createServer({ origin: VAULT_ORIGIN, audience: JWT_AUDIENCE || undefined, typ: JWT_TYP || undefined, algorithm: JWT_ALGORITHM || undefined })
    .listen(Number(PORT), () => console.log(`verify-jwt listening on http://localhost:${PORT}`));
}
