import { describe, expect, it } from "vitest";
import { sessionCookie } from "../../lib/session/cookie";
import { loadVaultConfig } from "../../lib/vault/config";

const SECRET = "x".repeat(32);

describe("sessionCookie", () => {
  it("is __Host-session on https: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", () => {
    const cookie = sessionCookie(loadVaultConfig({ AUTH_SECRET: SECRET, APP_ORIGIN: "https://app.example.com" }));
    expect(cookie).toEqual({
      name: "__Host-session",
      options: { httpOnly: true, secure: true, sameSite: "lax", path: "/" },
    });
  });

  it("is plain `session` on http://localhost, where browsers refuse Secure cookies", () => {
    const cookie = sessionCookie(loadVaultConfig({ AUTH_SECRET: SECRET }));
    expect(cookie.name).toBe("session");
    expect(cookie.options.secure).toBe(false);
    expect(cookie.options.httpOnly).toBe(true);
  });
});
