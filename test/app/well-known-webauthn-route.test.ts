// GET /.well-known/webauthn, the related-origins document, as a browser fetches it: a real Request
// to the route handler, with the app's configuration read from the environment.
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_ENV } from "../support/vault-harness";

/** The route, with the app's vault built afresh from the environment as stubbed now. */
async function route(env: Record<string, string>) {
  vi.stubEnv("APP_ORIGIN", "https://passkeys.example.com");
  vi.stubEnv("AUTH_SECRET", TEST_ENV.AUTH_SECRET);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  delete (globalThis as { passkeyVault?: unknown }).passkeyVault;
  vi.resetModules();
  return (await import("../../app/.well-known/webauthn/route")).GET;
}

describe("GET /.well-known/webauthn", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { passkeyVault?: unknown }).passkeyVault;
  });

  it("serves the configured related origins as JSON, cacheable", async () => {
    const GET = await route({ RELATED_ORIGINS: "https://example.co.uk,https://staging.example.net" });
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await response.json()).toEqual({ origins: ["https://example.co.uk", "https://staging.example.net"] });
  });

  it("is a 404 when none are configured: the site has not opted in", async () => {
    const GET = await route({ RELATED_ORIGINS: "" });
    const response = await GET();
    expect(response.status).toBe(404);
    expect((await response.json()).error.tag).toBe("@error/NotFound");
  });

  it("answers a generic 503 for a bad list, and names RELATED_ORIGINS in the log only", async () => {
    const GET = await route({ RELATED_ORIGINS: "http://example.co.uk" });
    const log = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).not.toContain("RELATED_ORIGINS");
      expect(String(log.mock.calls.flat().map(String))).toContain("RELATED_ORIGINS must be https");
    } finally {
      log.mockRestore();
    }
  });
});
