import { describe, expect, it, vi } from "vitest";
import { errorResponse } from "../../lib/http/json-route";
import { loadVaultConfig } from "../../lib/vault/config";

describe("errorResponse", () => {
  it("answers a configuration error with a generic 503 and keeps the details in the server log", async () => {
    let error: unknown;
    try {
      loadVaultConfig({ AUTH_SECRET: "too-short" });
    } catch (caught) {
      error = caught;
    }
    const log = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const response = errorResponse(error);
      const body = await response.json();
      expect(response.status).toBe(503);
      expect(body.error.tag).toBe("@error/Unavailable");
      expect(JSON.stringify(body)).not.toMatch(/AUTH_SECRET|Configuration/);
      expect(String(log.mock.calls.flat().map(String))).toMatch(/AUTH_SECRET/);
    } finally {
      log.mockRestore();
    }
  });
});
