/**
 * The cryptography one ceremony needs, measured in a bare Node loop (no HTTP, no database), with
 * the same libraries and algorithms the app uses: so the benchmark can say how much of a sign-in's
 * server CPU is cryptography and how much is everything else.
 */
import { createHash, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { verifyAuthenticationResponse, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { generateKeyPair, jwtVerify, SignJWT } from "jose";
import { SIGNING_ALGORITHMS } from "../lib/vault/config";
import { SoftAuthenticator } from "../test/support/soft-authenticator";

export interface CryptoResult {
  name: string;
  /** Microseconds per operation (median of 5 batches). */
  microseconds: number;
  perSecond: number;
}

async function measure(name: string, operation: () => unknown, budgetMs: number): Promise<CryptoResult> {
  // Calibrate: how many operations fit in a fifth of the budget.
  await operation();
  let perBatch = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) await operation();
    if (performance.now() - start > budgetMs / 10 || perBatch > 1_000_000) break;
    perBatch *= 2;
  }
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) await operation();
    batches.push(((performance.now() - start) * 1000) / perBatch);
  }
  batches.sort((a, b) => a - b);
  const microseconds = Math.round(batches[2]! * 10) / 10;
  return { name, microseconds, perSecond: Math.round(1_000_000 / microseconds) };
}

/** Each operation the sign-in ceremony performs, with `budgetMs` of work each. */
export async function measureCrypto(budgetMs = 400): Promise<CryptoResult[]> {
  const origin = "http://localhost:3000";
  const authenticator = new SoftAuthenticator({ origin, algorithm: "ES256" });
  const options: PublicKeyCredentialRequestOptionsJSON = { challenge: randomBytes(32).toString("base64url"), rpId: "localhost" };
  await authenticator.register({
    challenge: options.challenge,
    rp: { id: "localhost", name: "bench" },
    user: { id: randomBytes(16).toString("base64url"), name: "bench", displayName: "bench" },
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
  });
  const credential = authenticator.credentials[0]!;
  // One signed response, verified again and again (the counter check is the app's, not the library's).
  const response = await authenticator.authenticate(options);

  // The session JWT in each algorithm JWT_ALGORITHM offers (RS256 is the default): what the choice costs.
  const claims = { sid: "s", auth_time: 1, uv: true };
  const jwtResults: CryptoResult[] = [];
  for (const alg of SIGNING_ALGORITHMS) {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const sign = () =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: "k", typ: "session+jwt" })
        .setIssuer(origin)
        .setAudience(origin)
        .setSubject("u")
        .setIssuedAt()
        .setExpirationTime("1h")
        .setJti("j")
        .sign(privateKey);
    const token = await sign();
    jwtResults.push(
      await measure(`session JWT sign (${alg}, jose)`, sign, budgetMs),
      await measure(
        `session JWT verify (${alg}, jose)`,
        () => jwtVerify(token, publicKey, { algorithms: [alg], issuer: origin, audience: origin, typ: "session+jwt" }),
        budgetMs,
      ),
    );
  }

  return [
    await measure(
      "WebAuthn assertion verify (ES256, @simplewebauthn/server)",
      () =>
        verifyAuthenticationResponse({
          response,
          expectedChallenge: options.challenge,
          expectedOrigin: origin,
          expectedRPID: "localhost",
          credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
        }),
      budgetMs,
    ),
    ...jwtResults,
    await measure("SHA-256 of a token", () => createHash("sha256").update(randomBytes(32)).digest("base64url"), budgetMs / 4),
  ];
}
