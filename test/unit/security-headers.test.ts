import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "../../lib/http/security-headers";

describe("contentSecurityPolicy", () => {
  it("allows scripts only by nonce (and what they load), never inline or eval in production", () => {
    const csp = contentSecurityPolicy("abc");
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval only for development, and upgrades requests on https", () => {
    expect(contentSecurityPolicy("n", { development: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { https: true })).toContain("upgrade-insecure-requests");
  });
});

describe("newNonce", () => {
  it("is 128 random bits, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("strictTransportSecurity", () => {
  it("is two years with subdomains on https, and absent on http://localhost", () => {
    expect(strictTransportSecurity("https://app.example.com")).toBe("max-age=63072000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
  });
});
