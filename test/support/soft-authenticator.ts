/**
 * A software passkey authenticator, together with the slice of browser behaviour around it, for
 * tests. It turns the options a server sends into the exact JSON that @simplewebauthn/browser's
 * startRegistration() / startAuthentication() would post back, built from real keys and real
 * signatures, so the server under test verifies them with the real library.
 *
 * Honest by default. Each field of the overrides bends one thing a verifier must check, so attack
 * tests read as "this one lie is rejected".
 */
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  sign,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { encodeCbor, type CborValue } from "./cbor";

export type PasskeyAlgorithm = "ES256" | "EdDSA" | "RS256";

export interface SoftAuthenticatorOptions {
  /** The page origin the simulated browser puts in clientDataJSON, e.g. "http://localhost:3000". */
  origin: string;
  /** Key type for new credentials when the RP offers it; default "ES256". */
  algorithm?: PasskeyAlgorithm;
  /** Authenticator model id as a UUID string; default all zeros, as with "none" attestation. */
  aaguid?: string;
  /** "packed" produces self-attestation (signed by the credential key itself); default "none". */
  attestationFormat?: "none" | "packed";
}

/** A credential the authenticator holds. The object is live: `counter` follows later ceremonies. */
export interface SoftCredential {
  /** base64url credential id. */
  readonly id: string;
  readonly rpId: string;
  /** base64url `user.id` from the creation options. */
  readonly userHandle: string;
  readonly algorithm: PasskeyAlgorithm;
  /** COSE_Key bytes, as a server stores them. */
  readonly publicKey: Uint8Array;
  /** The signature counter last signed. */
  readonly counter: number;
}

/** Lies common to both ceremonies. Every field left out behaves honestly. */
export interface CeremonyOverrides {
  /** clientDataJSON.origin; default: the authenticator's origin. */
  origin?: string;
  /** clientDataJSON.challenge; default: the options' challenge. */
  challenge?: string;
  /** clientDataJSON.type; default "webauthn.create" or "webauthn.get". */
  type?: string;
  /** RP ID whose SHA-256 goes into authenticatorData; default: the options' RP ID. */
  rpId?: string;
  /** UP flag; default true. */
  userPresent?: boolean;
  /** UV flag; default true. */
  userVerified?: boolean;
  /** BE flag; default false. */
  backupEligible?: boolean;
  /** BS flag; default false. */
  backupState?: boolean;
  /** Signature counter to sign, and remember; default 0 at registration, then previous + 1. */
  counter?: number;
  /** clientDataJSON.crossOrigin, as a browser sets it inside a cross-site iframe; default false. */
  crossOrigin?: boolean;
  /** clientDataJSON.topOrigin (the embedding page, where browsers report it); default absent. */
  topOrigin?: string;
}

export interface RegistrationOverrides extends CeremonyOverrides {
  /**
   * Create the credential under this base64url id instead of a random one, e.g. to collide with a
   * credential the server already knows. Replaces any credential held under that id.
   */
  credentialId?: string;
}

export interface AuthenticationOverrides extends CeremonyOverrides {
  /** Claim this base64url credential id while still signing with the chosen credential's key. */
  credentialId?: string;
  /** Flip one bit of the signature (in its last byte, so an ES256 signature stays well-formed DER). */
  tamperSignature?: boolean;
  /** response.userHandle; null leaves it out. Default: the credential's user handle. */
  userHandle?: string | null;
}

export interface Registration {
  response: RegistrationResponseJSON;
  credential: SoftCredential;
}

interface HeldCredential extends SoftCredential {
  counter: number;
  readonly privateKey: KeyObject;
}

type PubKeyCredParams = PublicKeyCredentialCreationOptionsJSON["pubKeyCredParams"];
type CredentialDescriptors = PublicKeyCredentialRequestOptionsJSON["allowCredentials"];

// COSE_Key labels and values (RFC 9052 §7, RFC 9053); n/e and crv/x share labels across key types.
const COSE = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, n: -1, e: -2 } as const;
const KTY = { OKP: 1, EC2: 2, RSA: 3 } as const;
const CRV = { P256: 1, Ed25519: 6 } as const;

// authenticatorData flag bits (WebAuthn §6.1).
const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

interface AlgorithmSpec {
  coseAlg: number;
  generateKeyPair(): { publicKey: KeyObject; privateKey: KeyObject };
  coseKey(jwk: JsonWebKey): Map<number, CborValue>;
  sign(data: Uint8Array, privateKey: KeyObject): Uint8Array;
}

const ALGORITHMS: Record<PasskeyAlgorithm, AlgorithmSpec> = {
  // ECDSA P-256 / SHA-256. WebAuthn wants the ASN.1 DER signature, which is node's default encoding.
  ES256: {
    coseAlg: -7,
    generateKeyPair: () => generateKeyPairSync("ec", { namedCurve: "P-256" }),
    coseKey: (jwk) =>
      new Map<number, CborValue>([
        [COSE.kty, KTY.EC2],
        [COSE.alg, -7],
        [COSE.crv, CRV.P256],
        [COSE.x, jwkBytes(jwk, "x")],
        [COSE.y, jwkBytes(jwk, "y")],
      ]),
    sign: (data, privateKey) => sign("sha256", data, privateKey),
  },
  // Ed25519 signs the message itself (no separate hash); the signature is the raw 64 bytes.
  EdDSA: {
    coseAlg: -8,
    generateKeyPair: () => generateKeyPairSync("ed25519"),
    coseKey: (jwk) =>
      new Map<number, CborValue>([
        [COSE.kty, KTY.OKP],
        [COSE.alg, -8],
        [COSE.crv, CRV.Ed25519],
        [COSE.x, jwkBytes(jwk, "x")],
      ]),
    sign: (data, privateKey) => sign(null, data, privateKey),
  },
  // RSASSA-PKCS1-v1_5 / SHA-256: node's default padding for RSA keys.
  RS256: {
    coseAlg: -257,
    generateKeyPair: () => generateKeyPairSync("rsa", { modulusLength: 2048 }),
    coseKey: (jwk) =>
      new Map<number, CborValue>([
        [COSE.kty, KTY.RSA],
        [COSE.alg, -257],
        [COSE.n, jwkBytes(jwk, "n")],
        [COSE.e, jwkBytes(jwk, "e")],
      ]),
    sign: (data, privateKey) => sign("sha256", data, privateKey),
  },
};

const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as PasskeyAlgorithm[];

export class SoftAuthenticator {
  readonly #origin: string;
  readonly #algorithm: PasskeyAlgorithm;
  readonly #aaguid: Uint8Array;
  readonly #attestationFormat: "none" | "packed";
  /** Keyed by credential id, so ids stay unique; Map order is creation order. */
  readonly #credentials = new Map<string, HeldCredential>();

  constructor({
    origin,
    algorithm = "ES256",
    aaguid = ZERO_AAGUID,
    attestationFormat = "none",
  }: SoftAuthenticatorOptions) {
    this.#origin = origin;
    this.#algorithm = algorithm;
    this.#aaguid = parseAaguid(aaguid);
    this.#attestationFormat = attestationFormat;
  }

  /** Every credential held, oldest first. All are discoverable, as passkeys are. */
  get credentials(): readonly SoftCredential[] {
    return [...this.#credentials.values()];
  }

  /**
   * navigator.credentials.create() + startRegistration(). Async, and failing with the DOMException
   * a browser would raise, so call sites read like browser code.
   */
  async register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: RegistrationOverrides = {},
  ): Promise<Registration> {
    const rpId = this.#checkedRpId(options.rp.id);
    this.#refuseExcluded(rpId, options.excludeCredentials);
    const algorithm = this.#negotiateAlgorithm(options.pubKeyCredParams);
    const { publicKey, privateKey } = ALGORITHMS[algorithm].generateKeyPair();
    const credential: HeldCredential = {
      id: overrides.credentialId ?? toBase64url(randomBytes(randomInt(16, 33))),
      rpId,
      userHandle: options.user.id,
      algorithm,
      publicKey: encodeCbor(ALGORITHMS[algorithm].coseKey(publicKey.export({ format: "jwk" }))),
      counter: overrides.counter ?? 0,
      privateKey,
    };

    const clientData = this.#clientDataJSON("webauthn.create", options.challenge, overrides);
    const authData = authenticatorData(overrides.rpId ?? rpId, flagsByte(overrides) | FLAG.AT, credential.counter, {
      aaguid: this.#aaguid,
      credential,
    });
    // CTAP2 canonical key order: shorter keys first.
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ["fmt", this.#attestationFormat],
        ["attStmt", this.#attestationStatement(credential, authData, clientData)],
        ["authData", authData],
      ]),
    );

    // Delete first so a replaced id moves to the end: Map order stays creation order.
    this.#credentials.delete(credential.id);
    this.#credentials.set(credential.id, credential);
    return {
      credential,
      response: {
        id: credential.id,
        rawId: credential.id,
        type: "public-key",
        response: {
          clientDataJSON: toBase64url(clientData),
          attestationObject: toBase64url(attestationObject),
          authenticatorData: toBase64url(authData),
          // getPublicKey() returns SubjectPublicKeyInfo DER, not the COSE key.
          publicKey: toBase64url(publicKey.export({ type: "spki", format: "der" })),
          publicKeyAlgorithm: ALGORITHMS[algorithm].coseAlg,
          transports: ["internal"],
        },
        authenticatorAttachment: "platform",
        // Browsers answer credProps (which SimpleWebAuthn always requests); every credential here is resident.
        clientExtensionResults: options.extensions?.credProps ? { credProps: { rk: true } } : {},
      },
    };
  }

  /** navigator.credentials.get() + startAuthentication(), with the newest matching credential. */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: AuthenticationOverrides = {},
  ): Promise<AuthenticationResponseJSON> {
    const rpId = this.#checkedRpId(options.rpId);
    const credential = this.#pickCredential(rpId, options.allowCredentials);
    credential.counter = overrides.counter ?? credential.counter + 1;

    const clientData = this.#clientDataJSON("webauthn.get", options.challenge, overrides);
    const authData = authenticatorData(overrides.rpId ?? rpId, flagsByte(overrides), credential.counter);
    const signature = signWebAuthn(credential, authData, clientData);

    const id = overrides.credentialId ?? credential.id;
    const userHandle = overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: toBase64url(clientData),
        authenticatorData: toBase64url(authData),
        signature: toBase64url(overrides.tamperSignature ? flipLastBit(signature) : signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /**
   * The browser's RP ID rule: it defaults to the origin's host and must be that host or a parent
   * domain of it. (Simplified: browsers also refuse public suffixes such as "com".)
   */
  #checkedRpId(requested: string | undefined): string {
    const host = new URL(this.#origin).hostname;
    const rpId = requested ?? host;
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      throw new DOMException(`RP ID "${rpId}" is not valid for origin ${this.#origin}`, "SecurityError");
    }
    return rpId;
  }

  /** An authenticator refuses to register a second credential for an RP that excluded one it holds. */
  #refuseExcluded(rpId: string, excludeCredentials: CredentialDescriptors = []): void {
    if (excludeCredentials.some(({ id }) => this.#credentials.get(id)?.rpId === rpId)) {
      throw new DOMException("The authenticator already holds a credential in excludeCredentials", "InvalidStateError");
    }
  }

  /** The configured algorithm if the RP offers it, otherwise the RP's most preferred one implemented here. */
  #negotiateAlgorithm(pubKeyCredParams: PubKeyCredParams): PasskeyAlgorithm {
    // An empty list means ES256 or RS256 (WebAuthn §5.1.3).
    const offered = pubKeyCredParams.length
      ? pubKeyCredParams.filter(({ type }) => type === "public-key").map(({ alg }) => alg)
      : [ALGORITHMS.ES256.coseAlg, ALGORITHMS.RS256.coseAlg];
    if (offered.includes(ALGORITHMS[this.#algorithm].coseAlg)) return this.#algorithm;
    for (const alg of offered) {
      const implemented = ALGORITHM_NAMES.find((name) => ALGORITHMS[name].coseAlg === alg);
      if (implemented) return implemented;
    }
    throw new DOMException(
      `None of the offered COSE algorithms [${offered.join(", ")}] is implemented`,
      "NotSupportedError",
    );
  }

  /**
   * Stands in for the user's choice in the passkey picker: the newest credential for the RP that
   * allowCredentials permits (any of them, if it is empty).
   */
  #pickCredential(rpId: string, allowCredentials: CredentialDescriptors = []): HeldCredential {
    const allowed = new Set(allowCredentials.map(({ id }) => id));
    const credential = [...this.#credentials.values()]
      .filter((held) => held.rpId === rpId && (allowed.size === 0 || allowed.has(held.id)))
      .at(-1);
    if (!credential) {
      throw new DOMException(`No held credential for RP ID "${rpId}" matches allowCredentials`, "NotAllowedError");
    }
    return credential;
  }

  /** Member order as browsers serialise it (WebAuthn §5.8.1.1); servers must not depend on it, but some do. */
  #clientDataJSON(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.#origin,
        crossOrigin: overrides.crossOrigin ?? false,
        ...(overrides.topOrigin === undefined ? {} : { topOrigin: overrides.topOrigin }),
      }),
    );
  }

  /** "none" carries nothing; "packed" self-attestation signs authData || hash(clientData) with the credential key. */
  #attestationStatement(credential: HeldCredential, authData: Buffer, clientData: Buffer): Map<string, CborValue> {
    if (this.#attestationFormat === "none") return new Map();
    return new Map<string, CborValue>([
      ["alg", ALGORITHMS[credential.algorithm].coseAlg],
      ["sig", signWebAuthn(credential, authData, clientData)],
    ]);
  }
}

/**
 * rpIdHash (32) | flags (1) | signCount (4, big-endian) | attested credential data, present only at
 * registration: aaguid (16) | credentialIdLength (2, big-endian) | credentialId | COSE public key.
 */
function authenticatorData(
  rpId: string,
  flags: number,
  counter: number,
  attested?: { aaguid: Uint8Array; credential: SoftCredential },
): Buffer {
  const signCount = Buffer.alloc(4);
  signCount.writeUInt32BE(counter);
  const parts: Uint8Array[] = [sha256(rpId), Uint8Array.of(flags), signCount];
  if (attested) {
    const credentialId = Buffer.from(attested.credential.id, "base64url");
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    parts.push(attested.aaguid, idLength, credentialId, attested.credential.publicKey);
  }
  return Buffer.concat(parts);
}

function flagsByte({
  userPresent = true,
  userVerified = true,
  backupEligible = false,
  backupState = false,
}: CeremonyOverrides): number {
  return (
    (userPresent ? FLAG.UP : 0) |
    (userVerified ? FLAG.UV : 0) |
    (backupEligible ? FLAG.BE : 0) |
    (backupState ? FLAG.BS : 0)
  );
}

function flipLastBit(signature: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(signature);
  copy[copy.length - 1] = copy.at(-1)! ^ 0x01;
  return copy;
}

/** Assertions and packed attestations both sign authenticatorData || SHA-256(clientDataJSON). */
function signWebAuthn(credential: HeldCredential, authData: Buffer, clientData: Buffer): Uint8Array {
  const signedData = Buffer.concat([authData, sha256(clientData)]);
  return ALGORITHMS[credential.algorithm].sign(signedData, credential.privateKey);
}

function jwkBytes(jwk: JsonWebKey, member: "x" | "y" | "n" | "e"): Uint8Array {
  const value = jwk[member];
  if (typeof value !== "string") throw new Error(`Exported JWK has no "${member}"`);
  return Buffer.from(value, "base64url");
}

function parseAaguid(uuid: string): Uint8Array {
  const hex = uuid.replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`aaguid must be a UUID, got "${uuid}"`);
  return Buffer.from(hex, "hex");
}

function sha256(data: string | Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}
