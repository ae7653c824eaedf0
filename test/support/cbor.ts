/**
 * The smallest CBOR (RFC 8949) encoder a software WebAuthn authenticator needs: unsigned and
 * negative integers, byte strings, text strings and maps. That covers COSE keys, attestation
 * statements and the attestation object; nothing in those uses arrays, floats or tags.
 *
 * Every head uses the shortest form. Verifiers such as SimpleWebAuthn find where the COSE key ends
 * inside authenticatorData by decoding it and re-encoding it, so a longer-than-necessary encoding
 * would shift their pointer and fail as "leftover bytes". Map entries keep insertion order: callers
 * write them in CTAP2 canonical order themselves, which keeps this encoder free of sorting rules.
 */

export type CborValue = number | string | Uint8Array | ReadonlyMap<number | string, CborValue>;

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_MAP = 5;

export function encodeCbor(value: CborValue): Uint8Array {
  return Buffer.concat(encodeItem(value));
}

function encodeItem(value: CborValue): Uint8Array[] {
  if (typeof value === "number") return [encodeInteger(value)];
  if (typeof value === "string") {
    const utf8 = Buffer.from(value, "utf8");
    return [head(MAJOR_TEXT, utf8.length), utf8];
  }
  if (value instanceof Uint8Array) return [head(MAJOR_BYTES, value.length), value];
  const parts = [head(MAJOR_MAP, value.size)];
  for (const [key, item] of value) parts.push(...encodeItem(key), ...encodeItem(item));
  return parts;
}

function encodeInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) throw new TypeError(`CBOR encoder handles integers only, got ${value}`);
  // CBOR stores a negative integer n as the unsigned argument -1 - n under major type 1.
  return value >= 0 ? head(MAJOR_UNSIGNED, value) : head(MAJOR_NEGATIVE, -1 - value);
}

/** The initial byte (major type, additional info) followed by the argument in its shortest form. */
function head(major: number, argument: number): Uint8Array {
  const type = major << 5;
  if (argument < 24) return Uint8Array.of(type | argument);
  if (argument <= 0xff) return Uint8Array.of(type | 24, argument);
  if (argument <= 0xffff) {
    const out = Buffer.alloc(3);
    out[0] = type | 25;
    out.writeUInt16BE(argument, 1);
    return out;
  }
  if (argument <= 0xffffffff) {
    const out = Buffer.alloc(5);
    out[0] = type | 26;
    out.writeUInt32BE(argument, 1);
    return out;
  }
  throw new RangeError(`CBOR argument ${argument} needs 8 bytes; nothing WebAuthn encodes is that large`);
}
