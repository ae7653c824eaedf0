import { createLocalJWKSet, jwtVerify, decodeProtectedHeader, SignJWT, generateKeyPair, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { KeyStore } from "../../lib/vault/keys";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { ORIGIN, TEST_ENV, expectVaultError, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("session tokens (%s)", (provider) => {
  const t = useVault(provider);

  it("signs a session JWT that verifies with the published JWKS and carries no personal data", async () => {
    const { principal, email } = await signUp(t.vault);
    const jwks = await t.vault.jwks();
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ use: "sig", alg: "RS256", kty: "RSA" });
      expect(key.kid).toBeTruthy();
      for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(secret);
    }
    const { payload, protectedHeader } = await jwtVerify(principal.token, createLocalJWKSet(jwks), {
      issuer: ORIGIN,
      audience: ORIGIN,
      algorithms: ["RS256"],
      typ: "session+jwt",
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid);
    expect(payload).toMatchObject({ sub: principal.userId, sid: principal.sessionId, uv: true, auth_time: principal.authTime, exp: principal.expiresAt });
    expect(typeof payload.jti).toBe("string");
    expect(JSON.stringify(payload)).not.toContain(email);
  });

  it("refuses a token signed by the same keys for another audience or issuer", async () => {
    for (const env of [{ JWT_AUDIENCE: "https://other-app.example" }, { APP_ORIGIN: "http://localhost:4000" }]) {
      const config = loadVaultConfig({ ...TEST_ENV, ...env });
      const other = createVault(t.db, config);
      const { principal } = await signUp(other, new SoftAuthenticator({ origin: config.origin }));
      await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
    }
  });

  describe("refuses forged and altered tokens", () => {
    async function claimsOf(token: string) {
      const [, payload] = token.split(".");
      return JSON.parse(Buffer.from(payload!, "base64url").toString());
    }

    it("with a flipped signature byte", async () => {
      const { principal } = await signUp(t.vault);
      const last = principal.token.at(-2) === "A" ? "B" : "A";
      const forged = principal.token.slice(0, -2) + last + principal.token.at(-1);
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    it("with alg none", async () => {
      const { principal } = await signUp(t.vault);
      const forged = new UnsecuredJWT(await claimsOf(principal.token)).encode();
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    it("signed by a key that is not the vault's, even with the vault's kid", async () => {
      const { principal } = await signUp(t.vault);
      const { privateKey } = await generateKeyPair("RS256");
      const header = decodeProtectedHeader(principal.token);
      const forged = await new SignJWT(await claimsOf(principal.token)).setProtectedHeader({ ...header, alg: "RS256" }).sign(privateKey);
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    /** Re-signs a genuine token's claims with the vault's own key, changed as given. */
    async function resign(token: string, change: (claims: Record<string, unknown>) => void, typ = "session+jwt") {
      const { kid, alg, privateKey } = await new KeyStore(t.db, loadVaultConfig(TEST_ENV)).signingKey();
      const claims = await claimsOf(token);
      change(claims);
      return new SignJWT(claims).setProtectedHeader({ alg, kid, typ }).sign(privateKey);
    }

    it("re-signed by the vault's own key unchanged (control: the forgeries below fail for their change alone)", async () => {
      const { principal } = await signUp(t.vault);
      await expect(t.vault.authenticateSession(await resign(principal.token, () => {}))).resolves.toBeTruthy();
    });

    it("with another typ, though signed by the vault's own key", async () => {
      const { principal } = await signUp(t.vault);
      await expectVaultError(t.vault.authenticateSession(await resign(principal.token, () => {}, "JWT")), "Unauthenticated");
    });

    it("with an amr that is not a list of strings", async () => {
      const { principal } = await signUp(t.vault);
      for (const amr of ["pop", [1], null]) {
        const forged = await resign(principal.token, (claims) => (claims.amr = amr));
        await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
      }
    });

    it.each(["sid", "sub", "exp", "auth_time", "uv", "amr", "jti", "iss", "aud"])("without the %s claim", async (claim) => {
      const { principal } = await signUp(t.vault);
      const forged = await resign(principal.token, (claims) => delete claims[claim]);
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    it("expired", async () => {
      const { principal } = await signUp(t.vault);
      const forged = await resign(principal.token, (claims) => (claims.exp = Math.floor(Date.now() / 1000) - 60));
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    it("naming another user than its session's", async () => {
      const { principal } = await signUp(t.vault);
      const other = await signUp(t.vault);
      const forged = await resign(principal.token, (claims) => (claims.sub = other.principal.userId));
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });

    it("HS256 keyed with the public key (algorithm confusion)", async () => {
      const { principal } = await signUp(t.vault);
      const jwk = (await t.vault.jwks()).keys[0]!;
      const header = decodeProtectedHeader(principal.token);
      const forged = await new SignJWT(await claimsOf(principal.token))
        .setProtectedHeader({ ...header, alg: "HS256" })
        .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    });
  });
});
