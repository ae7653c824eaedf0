import { isIP } from "node:net";

/**
 * Who is asking, for rate limits: the address the deployment's own proxy put in
 * `trustedHeader` (TRUSTED_CLIENT_IP_HEADER; on Vercel `x-vercel-forwarded-for`, which Vercel
 * overwrites). Never X-Forwarded-For or any other header a client can set: a client that could pick
 * its address could pick a fresh bucket for every request. Null when the deployment names no
 * header, or the header is missing or not an address: the caller then uses one shared bucket.
 * (Next's route handlers and server actions do not expose the socket's address.)
 *
 * Pure (Headers in, string out), so it is unit-tested without a server.
 */
export function clientAddress(headers: Headers, trustedHeader: string | null): string | null {
  if (!trustedHeader) return null;
  const value = headers.get(trustedHeader);
  if (!value) return null;
  // A list (X-Forwarded-For style): the last entry is the one the nearest proxy, ours, appended;
  // everything before it came from the client.
  const last = value.split(",").at(-1)!.trim();
  return addressBucket(last);
}

/**
 * One bucket per IPv4 address, and per IPv6 /64: one customer is routinely given a whole /64, so
 * counting single IPv6 addresses would give an attacker 2^64 fresh buckets.
 */
export function addressBucket(raw: string): string | null {
  const address = raw.replace(/^\[(.*)\]$/, "$1"); // [2001:db8::1]
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const groups = expandIpv6(address.toLowerCase());
  // An IPv4 address written as IPv6 (::ffff:192.0.2.1) is that IPv4 address.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  }
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function expandIpv6(address: string): number[] {
  let text = address.replace(/%.*$/, ""); // zone id
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number);
    text = text.slice(0, dotted.index) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const start = parse(head);
  const end = parse(tail);
  return [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end];
}
