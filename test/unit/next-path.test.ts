import { describe, expect, it } from "vitest";
import { loginPath, safeNextPath } from "../../lib/session/next-path";

describe("safeNextPath", () => {
  it.each([
    ["/account", "/account"],
    ["/account?tab=passkeys#keys", "/account?tab=passkeys#keys"],
    ["/a/../account", "/account"],
    ["/a/%2e%2e/account", "/account"],
    ["/account/./passkeys", "/account/passkeys"],
    // An encoded slash is a path character, not a separator: it stays on this origin.
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/.%2f/evil.example/..//x", "/.%2f//x"],
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
    // Dot segments that normalise into a protocol-relative URL (the open redirect this fixes).
    "/.//evil.example",
    "/././/evil.example",
    "/a/..//evil.example",
    "/a/b/../..//evil.example",
    "/%2e//evil.example",
    "/%2E//evil.example",
    "/.%2e//evil.example",
    "/%2e%2e//evil.example",
    "/a/%2e%2e//evil.example",
    "/./%2e/..//evil.example",
    // Mixed with backslashes, control characters and whitespace.
    "/.\\evil.example",
    "/./\\evil.example",
    "/.\t//evil.example",
    "/\u0000//evil.example",
    "/\u007f//evil.example",
    "/\r\n//evil.example",
    " //evil.example",
    "account",
    "",
    undefined,
    null,
    ["/account"],
  ])("sends %j to /", (input) => {
    expect(safeNextPath(input)).toBe("/");
  });
});

it("sends an overlong path to /", () => {
  expect(safeNextPath("/" + "a".repeat(3000))).toBe("/");
});

describe("safeNextPath, exhaustively over short mixes of the pieces redirects are built from", () => {
  const PIECES = ["/", ".", "..", "%2e", "%2E%2e", "\\", "evil.example", "a", "%2f", "\t", "?", "#", "@", ":"];

  function* mixes(length: number, prefix = "/"): Generator<string> {
    if (length === 0) return yield prefix;
    for (const piece of PIECES) yield* mixes(length - 1, prefix + piece);
  }

  it("never yields a Location that a browser resolves to another origin, and never changes a safe answer", () => {
    const app = "https://app.example";
    let checked = 0;
    for (let length = 1; length <= 4; length++) {
      for (const input of mixes(length)) {
        const path = safeNextPath(input);
        // What a browser does with `Location: <path>` on a page of this app.
        expect(new URL(path, `${app}/login`).origin, input).toBe(app);
        expect(path.startsWith("//"), input).toBe(false);
        expect(safeNextPath(path), input).toBe(path);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40_000);
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
