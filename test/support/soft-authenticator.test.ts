/**
 * Proves SoftAuthenticator against the real @simplewebauthn/server, never against itself: honest
 * responses must verify for every algorithm, and each override must make the library refuse.
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type GenerateRegistrationOptionsOpts,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  type VerifyAuthenticationResponseOpts,
  type VerifyRegistrationResponseOpts,
  type WebAuthnCredential,
} from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import {
  SoftAuthenticator,
  type AuthenticationOverrides,
  type PasskeyAlgorithm,
  type RegistrationOverrides,
} from "./soft-authenticator";

const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";
const ALGORITHMS: PasskeyAlgorithm[] = ["ES256", "EdDSA", "RS256"];
const COSE_ALG: Record<PasskeyAlgorithm, number> = { ES256: -7, EdDSA: -8, RS256: -257 };

// --- The server's half of each ceremony, as an app using SimpleWebAuthn would write it. ---

function registrationOptions(opts: Partial<GenerateRegistrationOptionsOpts> = {}) {
  return generateRegistrationOptions({ rpName: "Soft Authenticator Test", rpID: RP_ID, userName: "alice", ...opts });
}

function verifyRegistration(
  response: RegistrationResponseJSON,
  options: PublicKeyCredentialCreationOptionsJSON,
  opts: Partial<VerifyRegistrationResponseOpts> = {},
) {
  return verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    ...opts,
  });
}

/** Registers a new passkey and returns the record the server would store for it. */
async function enrol(authenticator: SoftAuthenticator): Promise<WebAuthnCredential> {
  const options = await registrationOptions();
  const { response } = await authenticator.register(options);
  const { verified, registrationInfo } = await verifyRegistration(response, options);
  if (!verified || !registrationInfo) throw new Error("Honest registration did not verify");
  return registrationInfo.credential;
}

/** One sign-in with `stored`, verified the way the server would; overrides go to the authenticator. */
async function signIn(
  authenticator: SoftAuthenticator,
  stored: WebAuthnCredential,
  overrides: AuthenticationOverrides = {},
  opts: Partial<VerifyAuthenticationResponseOpts> = {},
) {
  const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: stored.id }] });
  const response = await authenticator.authenticate(options, overrides);
  return verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: stored,
    ...opts,
  });
}

function decodeClientData(clientDataJSON: string): unknown {
  return JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
}

describe.each(ALGORITHMS)("SoftAuthenticator with %s", (algorithm) => {
  it("registers: the library verifies it and reads back the id, counter, key and AAGUID", async () => {
    const aaguid = "2fc0579f-8113-47ea-b116-bb5a8db9202a";
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm, aaguid });
    const options = await registrationOptions();

    const { response, credential } = await authenticator.register(options);
    const { verified, registrationInfo } = await verifyRegistration(response, options);

    expect(verified).toBe(true);
    expect(registrationInfo).toMatchObject({
      fmt: "none",
      aaguid,
      userVerified: true,
      credentialDeviceType: "singleDevice",
      credentialBackedUp: false,
      credential: { id: credential.id, counter: 0, transports: ["internal"] },
    });
    expect(registrationInfo?.credential.publicKey).toEqual(new Uint8Array(credential.publicKey));
    expect(response.response.publicKeyAlgorithm).toBe(COSE_ALG[algorithm]);
    expect(credential).toMatchObject({ rpId: RP_ID, userHandle: options.user.id, algorithm, counter: 0 });
    expect(authenticator.credentials).toEqual([credential]);
  });

  it("registers with packed self-attestation", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm, attestationFormat: "packed" });
    const options = await registrationOptions({ attestationType: "direct" });

    const { response } = await authenticator.register(options);
    const { verified, registrationInfo } = await verifyRegistration(response, options);

    expect(verified).toBe(true);
    expect(registrationInfo?.fmt).toBe("packed");
  });

  it("signs in: the library verifies each assertion and reports the incremented counter", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm });
    let stored = await enrol(authenticator);

    for (const expectedCounter of [1, 2]) {
      const { verified, authenticationInfo } = await signIn(authenticator, stored);
      expect(verified).toBe(true);
      expect(authenticationInfo).toMatchObject({
        credentialID: stored.id,
        newCounter: expectedCounter,
        userVerified: true,
      });
      stored = { ...stored, counter: authenticationInfo.newCounter };
    }
    expect(authenticator.credentials[0]?.counter).toBe(2);
  });

  it("signs with the key it reports as response.publicKey (SPKI), for servers that store that", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm });
    const options = await registrationOptions();
    const { response: registration } = await authenticator.register(options);
    const spki = createPublicKey({
      key: Buffer.from(registration.response.publicKey!, "base64url"),
      format: "der",
      type: "spki",
    });

    const assertion = await authenticator.authenticate(await generateAuthenticationOptions({ rpID: RP_ID }));
    const { authenticatorData, clientDataJSON, signature } = assertion.response;
    const clientDataHash = createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest();
    const signedData = Buffer.concat([Buffer.from(authenticatorData, "base64url"), clientDataHash]);

    const digest = algorithm === "EdDSA" ? null : "sha256";
    expect(verify(digest, signedData, spki, Buffer.from(signature, "base64url"))).toBe(true);
  });

  it("tamperSignature: the library reports verified false", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm });
    const stored = await enrol(authenticator);

    const { verified } = await signIn(authenticator, stored, { tamperSignature: true });

    expect(verified).toBe(false);
  });
});

describe("SoftAuthenticator behaves like a browser", () => {
  it("produces the JSON shape of @simplewebauthn/browser's startRegistration()", async () => {
    const options = await registrationOptions();
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options);

    expect(response).toMatchObject({
      rawId: response.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      // SimpleWebAuthn always asks for credProps; a browser answers it.
      clientExtensionResults: { credProps: { rk: true } },
      response: { transports: ["internal"], publicKeyAlgorithm: -7 },
    });
    for (const field of ["clientDataJSON", "attestationObject", "authenticatorData", "publicKey"] as const) {
      expect(response.response[field]).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(decodeClientData(response.response.clientDataJSON)).toEqual({
      type: "webauthn.create",
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    });
  });

  it("uses an algorithm the RP offers when its own is not offered", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN, algorithm: "EdDSA" });
    const options = await registrationOptions({ supportedAlgorithmIDs: [-7] });

    const { response, credential } = await authenticator.register(options);

    expect(credential.algorithm).toBe("ES256");
    expect((await verifyRegistration(response, options, { supportedAlgorithmIDs: [-7] })).verified).toBe(true);
  });

  it("refuses to register when no offered algorithm is implemented", async () => {
    const options = await registrationOptions({ supportedAlgorithmIDs: [-35] });

    await expect(new SoftAuthenticator({ origin: ORIGIN }).register(options)).rejects.toMatchObject({
      name: "NotSupportedError",
    });
  });

  it("refuses to register when excludeCredentials lists a credential it holds", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);
    const options = await registrationOptions({ excludeCredentials: [{ id: stored.id }] });

    await expect(authenticator.register(options)).rejects.toMatchObject({ name: "InvalidStateError" });
  });

  it("refuses an RP ID that does not belong to its origin", async () => {
    const options = await registrationOptions({ rpID: "example.com" });

    await expect(new SoftAuthenticator({ origin: ORIGIN }).register(options)).rejects.toMatchObject({
      name: "SecurityError",
    });
  });

  it("with empty allowCredentials, signs in with its newest passkey and returns that user's handle", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await authenticator.register(await registrationOptions({ userName: "alice" }));
    const bob = await authenticator.register(await registrationOptions({ userName: "bob" }));
    const options = await generateAuthenticationOptions({ rpID: RP_ID });

    const response = await authenticator.authenticate(options);

    expect(response.id).toBe(bob.credential.id);
    expect(response.response.userHandle).toBe(bob.credential.userHandle);
    expect(decodeClientData(response.response.clientDataJSON)).toEqual({
      type: "webauthn.get",
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    });
  });

  it("with allowCredentials, signs in only with a listed passkey", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const alice = await authenticator.register(await registrationOptions({ userName: "alice" }));
    await authenticator.register(await registrationOptions({ userName: "bob" }));

    const allowOnly = (id: string) => generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id }] });

    expect((await authenticator.authenticate(await allowOnly(alice.credential.id))).id).toBe(alice.credential.id);
    await expect(authenticator.authenticate(await allowOnly("AAAAAAAAAAAAAAAAAAAAAA"))).rejects.toMatchObject({
      name: "NotAllowedError",
    });
  });

  it("userHandle: null leaves it out of the response, as for a non-discoverable credential", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await enrol(authenticator);

    const response = await authenticator.authenticate(await generateAuthenticationOptions({ rpID: RP_ID }), {
      userHandle: null,
    });

    expect(response.response).not.toHaveProperty("userHandle");
  });

  it("backupEligible + backupState: the library reports a backed-up multi-device credential", async () => {
    const options = await registrationOptions();
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options, {
      backupEligible: true,
      backupState: true,
    });

    const { registrationInfo } = await verifyRegistration(response, options);

    expect(registrationInfo).toMatchObject({ credentialDeviceType: "multiDevice", credentialBackedUp: true });
  });
});

describe("registration overrides", () => {
  const attacks: [string, RegistrationOverrides, RegExp][] = [
    ["origin", { origin: "https://evil.example" }, /Unexpected registration response origin/],
    ["challenge", { challenge: "c3RhbGUtY2hhbGxlbmdl" }, /Unexpected registration response challenge/],
    ["rpId", { rpId: "evil.example" }, /Unexpected RP ID hash/],
    ["type", { type: "webauthn.get" }, /Unexpected registration response type/],
    // requireUserVerification defaults to true in verifyRegistrationResponse.
    ["userVerified: false", { userVerified: false }, /User verification was required/],
    ["userPresent: false", { userPresent: false }, /User presence was required/],
    ["backupState without backupEligible", { backupState: true }, /Single-device credential .* backed up/],
  ];

  it.each(attacks)("%s", async (_, overrides, error) => {
    const options = await registrationOptions();
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options, overrides);

    await expect(verifyRegistration(response, options)).rejects.toThrow(error);
  });

  it("userVerified: false is accepted once the server stops requiring verification", async () => {
    const options = await registrationOptions();
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options, { userVerified: false });

    const { verified, registrationInfo } = await verifyRegistration(response, options, {
      requireUserVerification: false,
    });

    expect(verified).toBe(true);
    expect(registrationInfo?.userVerified).toBe(false);
  });

  it("credentialId: the library reports the claimed id, so only the server can refuse a duplicate", async () => {
    const victim = await enrol(new SoftAuthenticator({ origin: ORIGIN }));
    const options = await registrationOptions({ userName: "mallory" });

    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options, { credentialId: victim.id });
    const { verified, registrationInfo } = await verifyRegistration(response, options);

    expect(verified).toBe(true);
    expect(registrationInfo?.credential.id).toBe(victim.id);
  });
});

describe("authentication overrides", () => {
  const attacks: [string, AuthenticationOverrides, RegExp][] = [
    ["origin", { origin: "https://evil.example" }, /Unexpected authentication response origin/],
    ["challenge", { challenge: "c3RhbGUtY2hhbGxlbmdl" }, /Unexpected authentication response challenge/],
    ["rpId", { rpId: "evil.example" }, /Unexpected RP ID hash/],
    ["type", { type: "webauthn.create" }, /Unexpected authentication response type/],
    // requireUserVerification defaults to true in verifyAuthenticationResponse.
    ["userVerified: false", { userVerified: false }, /User verification required/],
    ["userPresent: false", { userPresent: false }, /User not present/],
  ];

  it.each(attacks)("%s", async (_, overrides, error) => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);

    await expect(signIn(authenticator, stored, overrides)).rejects.toThrow(error);
  });

  it.each([
    ["replayed", 1],
    ["regressed", 0],
  ])("counter %s after a sign-in at 1", async (_, counter) => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);
    const { authenticationInfo } = await signIn(authenticator, stored);
    const updated = { ...stored, counter: authenticationInfo.newCounter };

    await expect(signIn(authenticator, updated, { counter })).rejects.toThrow(
      `Response counter value ${counter} was lower than expected 1`,
    );
  });

  it("counter that stays 0 is accepted, as for authenticators that do not count", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);

    const { verified, authenticationInfo } = await signIn(authenticator, stored, { counter: 0 });

    expect(verified).toBe(true);
    expect(authenticationInfo.newCounter).toBe(0);
  });

  it("credentialId: another authenticator claiming the victim's id fails the signature check", async () => {
    const victim = await enrol(new SoftAuthenticator({ origin: ORIGIN }));
    const attacker = new SoftAuthenticator({ origin: ORIGIN });
    await enrol(attacker);

    // Discoverable options: the attacker holds nothing an allowCredentials of [victim] would permit.
    const options = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = await attacker.authenticate(options, { credentialId: victim.id });
    const { verified } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: options.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: victim,
    });

    expect(response.id).toBe(victim.id);
    expect(verified).toBe(false);
  });

  it("credentialId: the library never compares response.id with credential.id (the server's lookup must)", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);

    const { verified } = await signIn(authenticator, stored, { credentialId: "dW5rbm93bi1jcmVkZW50aWFs" });

    expect(verified).toBe(true);
  });

  it("crossOrigin: the library accepts an embedded ceremony unless the browser also names topOrigin (the server must refuse)", async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const stored = await enrol(authenticator);

    const { verified } = await signIn(authenticator, stored, { crossOrigin: true });
    expect(verified).toBe(true);
    await expect(signIn(authenticator, stored, { crossOrigin: true, topOrigin: "https://evil.example" })).rejects.toThrow(
      /top origin/,
    );
  });

  it("credentialId: the library registers an id over 1023 bytes (the server must refuse)", async () => {
    const options = await registrationOptions();
    const credentialId = Buffer.alloc(1024, 7).toString("base64url");
    const { response } = await new SoftAuthenticator({ origin: ORIGIN }).register(options, { credentialId });

    const { verified, registrationInfo } = await verifyRegistration(response, options);
    expect(verified).toBe(true);
    expect(registrationInfo?.credential.id).toBe(credentialId);
  });
});
