import { describe, expect, it, vi } from "vitest";
import { assertSameSite } from "../../lib/http/same-site";

const APP = "http://localhost:3000";
const check = (values: Record<string, string>) => () => assertSameSite(new Headers(values), APP);

describe("assertSameSite", () => {
  it("names both origins and APP_ORIGIN in the answer and the server log (the app opened at another port)", () => {
    const log = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(check({ origin: "http://localhost:3001" })).toThrow(/came from http:\/\/localhost:3001.*only accepts requests from http:\/\/localhost:3000 \(APP_ORIGIN\)/);
      expect(String(log.mock.calls[0])).toContain("APP_ORIGIN");
    } finally {
      log.mockRestore();
    }
  });

  it("accepts the app's own Origin", () => {
    expect(check({ origin: APP, "sec-fetch-site": "same-origin" })).not.toThrow();
  });

  it.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["a sibling origin", { origin: "http://localhost:3001" }],
    ["no Origin, Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
    ["no Origin, Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
    ["the right Origin is not enough with a wrong one first", { origin: `https://evil.example, ${APP}` }],
  ])("refuses %s with Forbidden", (_, values) => {
    expect(check(values)).toThrow(expect.objectContaining({ kind: "Forbidden", status: 403 }));
  });

  it.each([
    ["Sec-Fetch-Site same-origin", { "sec-fetch-site": "same-origin" }],
    ["Sec-Fetch-Site none", { "sec-fetch-site": "none" }],
    ["neither header (not a browser)", {}],
  ])("accepts no Origin with %s", (_, values) => {
    expect(check(values)).not.toThrow();
  });
});
