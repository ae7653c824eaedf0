import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { createSigningKey } from "../../lib/vault/keys";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { testProviders } from "../support/test-db";
import { TEST_ENV, expectVaultError, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("signing keys (%s)", (provider) => {
  const t = useVault(provider);

  it("publishes the signing key before the first token is signed, and signs with it", async () => {
    const { keys } = await t.vault.jwks();
    expect(keys).toHaveLength(1);
    const { principal } = await signUp(t.vault);
    expect(decodeProtectedHeader(principal.token)).toEqual({ alg: "RS256", kid: keys[0]!.kid, typ: "session+jwt" });
  });

  it("accepts a token from a key another process created (unknown kid → one reload)", async () => {
    // A second vault on the same database stands in for another server instance.
    const other = createVault(t.db, loadVaultConfig({ ...TEST_ENV, JWT_ALGORITHM: "ES256" }));
    await t.db.signingKey.updateMany({ data: { retiresAt: new Date() } });
    const { principal } = await signUp(other);
    const header = decodeProtectedHeader(principal.token);
    expect(header.alg).toBe("ES256");
    await expect(t.vault.authenticateSession(principal.token)).resolves.toMatchObject({ userId: principal.userId });
    // The retired RS256 key stays published while tokens it signed may still be live.
    expect((await t.vault.jwks()).keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
  });

  it("drops a retired key from the JWKS once every token it signed has expired", async () => {
    const ttl = Number(loadVaultConfig(TEST_ENV).sessionTtlSeconds);
    const old = await createSigningKey(t.db, loadVaultConfig(TEST_ENV), new Date(Date.now() - 2 * ttl * 1000));
    await t.db.signingKey.update({ where: { id: old.id }, data: { retiresAt: new Date(Date.now() - ttl * 1000 - 1000) } });
    expect((await t.vault.jwks()).keys.map((k) => k.kid)).not.toContain(old.id);
  });

  it("refuses a token signed by the same keys for another audience or issuer", async () => {
    for (const env of [{ JWT_AUDIENCE: "https://other-app.example" }, { APP_ORIGIN: "http://localhost:4000" }]) {
      const config = loadVaultConfig({ ...TEST_ENV, ...env });
      const other = createVault(t.db, config);
      const { principal } = await signUp(other, new SoftAuthenticator({ origin: config.origin }));
      await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
    }
  });

  it("refuses to sign when AUTH_SECRET changed, instead of signing with an unreadable key", async () => {
    const rotated = createVault(t.db, loadVaultConfig({ ...TEST_ENV, AUTH_SECRET: "a-different-secret-0123456789abcdefghij" }));
    await expect(signUp(rotated)).rejects.toThrow(/cannot be decrypted/);
  });
});
