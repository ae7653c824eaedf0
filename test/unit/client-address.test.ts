import { describe, expect, it } from "vitest";
import { addressBucket, clientAddress } from "../../lib/http/client-address";
import { loadRateLimitConfig, VERCEL_CLIENT_IP_HEADER } from "../../lib/vault/config";

const headers = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("reads only the trusted header; X-Forwarded-For and friends change nothing", () => {
    const spoofed = { "x-forwarded-for": "203.0.113.9", forwarded: "for=203.0.113.9", "x-client-ip": "203.0.113.9" };
    expect(clientAddress(headers({ "x-real-ip": "192.0.2.1", ...spoofed }), "x-real-ip")).toBe("192.0.2.1");
    expect(clientAddress(headers(spoofed), "x-real-ip")).toBeNull();
    // No trusted header configured: every request is "unknown", whatever it claims.
    expect(clientAddress(headers({ "x-real-ip": "192.0.2.1", ...spoofed }), null)).toBeNull();
  });

  it("takes the last entry of a list: the one our proxy appended", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.9, 192.0.2.7" }), "x-forwarded-for")).toBe("192.0.2.7");
  });

  it("answers null for anything that is not an address", () => {
    for (const value of ["unknown", "192.0.2.1:443", "999.1.1.1", "", "evil.example"]) {
      expect(clientAddress(headers({ "x-real-ip": value }), "x-real-ip"), value).toBeNull();
    }
  });
});

describe("addressBucket", () => {
  it("keeps IPv4 addresses, and reads IPv4-mapped IPv6 as IPv4", () => {
    expect(addressBucket("192.0.2.1")).toBe("192.0.2.1");
    expect(addressBucket("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressBucket("::ffff:c000:201")).toBe("192.0.2.1");
  });

  it("puts a whole IPv6 /64 in one bucket, however it is written", () => {
    const bucket = addressBucket("2001:db8:1:2::1");
    expect(bucket).toBe("2001:db8:1:2::/64");
    for (const same of ["2001:db8:1:2:ffff:ffff:ffff:ffff", "[2001:0DB8:0001:0002::abcd]", "2001:db8:1:2:0:0:0:9"]) {
      expect(addressBucket(same), same).toBe(bucket);
    }
    expect(addressBucket("2001:db8:1:3::1")).not.toBe(bucket);
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
  });
});

describe("loadRateLimitConfig", () => {
  it("trusts no header by default, and Vercel's own header on Vercel", () => {
    expect(loadRateLimitConfig({}).trustedClientIpHeader).toBeNull();
    expect(loadRateLimitConfig({ VERCEL: "1" }).trustedClientIpHeader).toBe(VERCEL_CLIENT_IP_HEADER);
    expect(loadRateLimitConfig({ VERCEL: "1", TRUSTED_CLIENT_IP_HEADER: "none" }).trustedClientIpHeader).toBeNull();
    expect(loadRateLimitConfig({ TRUSTED_CLIENT_IP_HEADER: "X-Real-IP" }).trustedClientIpHeader).toBe("x-real-ip");
  });

  it("reads points/seconds and refuses anything else", () => {
    expect(loadRateLimitConfig({ RATE_LIMIT_PER_EMAIL: "3/10" }).rules.perEmail).toEqual({ points: 3, seconds: 10 });
    for (const bad of ["3", "0/10", "3/0", "a/b", "3/100000"]) {
      expect(() => loadRateLimitConfig({ RATE_LIMIT_PER_EMAIL: bad }), bad).toThrow(/Configuration error/);
    }
    expect(() => loadRateLimitConfig({ TRUSTED_CLIENT_IP_HEADER: "a, b" })).toThrow(/Configuration error/);
  });
});
