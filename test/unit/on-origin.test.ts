import { describe, expect, it } from "vitest";
import { onOrigin } from "../../lib/http/on-origin";

const ORIGIN = "http://localhost:3000";

describe("onOrigin (the proxy's redirect to the configured origin)", () => {
  it.each([
    ["/account", "?tab=passkeys", "http://localhost:3000/account?tab=passkeys"],
    ["/", "", "http://localhost:3000/"],
    // Paths that, resolved as URL references, name another host.
    ["//evil.example/x", "?a=1", "http://localhost:3000//evil.example/x?a=1"],
    ["//evil.example", "", "http://localhost:3000//evil.example"],
    ["/\\evil.example/x", "", "http://localhost:3000//evil.example/x"],
  ])("keeps the path %j (query %j) on the origin", (pathname, search, expected) => {
    const url = onOrigin(ORIGIN, pathname, search);
    expect(url.origin).toBe(ORIGIN);
    expect(url.toString()).toBe(expected);
  });

  it("keeps the configured origin's scheme and port, whatever the request used", () => {
    expect(onOrigin("https://app.example:8443", "/login", "?next=%2F").toString()).toBe("https://app.example:8443/login?next=%2F");
  });
});
