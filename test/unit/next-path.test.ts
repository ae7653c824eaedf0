import { describe, expect, it } from "vitest";
import { loginPath, safeNextPath } from "../../lib/session/next-path";

describe("safeNextPath", () => {
  it.each([
    ["/account", "/account"],
    ["/account?tab=passkeys#keys", "/account?tab=passkeys#keys"],
    ["/a/../account", "/account"],
  ])("keeps the same-origin path %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "//evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "account",
    "",
    undefined,
    null,
    ["/account"],
  ])("sends %j to /", (input) => {
    expect(safeNextPath(input)).toBe("/");
  });
});

describe("loginPath", () => {
  it("carries a safe next path, encoded", () => {
    expect(loginPath("/account?x=1")).toBe("/login?next=%2Faccount%3Fx%3D1");
  });
  it("drops an unsafe one", () => {
    expect(loginPath("//evil.example")).toBe("/login");
  });
});
