import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { createVault, loadVaultConfig } from "../../lib/vault";
import {
  ACTIVE_KEY_RECHECK_MS,
  JWKS_MAX_AGE_SECONDS,
  KEY_PUBLISH_DELAY_SECONDS,
  KEY_RELOAD_COOLDOWN_MS,
  KeyStore,
  RotationInProgressError,
  createSigningKey,
  deleteExpiredSigningKeys,
  listSigningKeys,
  retiredKeyRetentionSeconds,
  rotateSigningKey,
} from "../../lib/vault/keys";
import { verifySessionToken } from "../../lib/vault/tokens";
import { testProviders } from "../support/test-db";
import { TEST_ENV, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("signing keys (%s)", (provider) => {
  const t = useVault(provider);

  it("publishes the signing key before the first token is signed, and signs with it", async () => {
    const { keys } = await t.vault.jwks();
    expect(keys).toHaveLength(1);
    const { principal } = await signUp(t.vault);
    expect(decodeProtectedHeader(principal.token)).toEqual({ alg: "RS256", kid: keys[0]!.kid, typ: "session+jwt" });
  });

  it("keeps one signing key across tokens and stores its private half encrypted", async () => {
    await signUp(t.vault);
    await signUp(t.vault);
    const keys = await t.db.signingKey.findMany();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.encryptedPrivateKey).toMatch(/^v1\./);
    expect(keys[0]!.encryptedPrivateKey).not.toContain("PRIVATE KEY");
    expect(keys[0]!.publicJwk).not.toContain('"d"');
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
    const ttl = retiredKeyRetentionSeconds(loadVaultConfig(TEST_ENV));
    const old = await createSigningKey(t.db, loadVaultConfig(TEST_ENV), new Date(Date.now() - 2 * ttl * 1000));
    await t.db.signingKey.update({ where: { id: old.id }, data: { retiresAt: new Date(Date.now() - ttl * 1000 - 1000) } });
    expect((await t.vault.jwks()).keys.map((k) => k.kid)).not.toContain(old.id);
  });

  it("refuses to sign when AUTH_SECRET changed, instead of signing with an unreadable key", async () => {
    const rotated = createVault(t.db, loadVaultConfig({ ...TEST_ENV, AUTH_SECRET: "a-different-secret-0123456789abcdefghij" }));
    await expect(signUp(rotated)).rejects.toThrow(/cannot be decrypted/);
  });

  describe("verification key cache", () => {
    const config = loadVaultConfig(TEST_ENV);
    /** A KeyStore (a process's verifier) on a clock the test moves. */
    function verifier() {
      const clock = { now: Date.now() };
      return { clock, keys: new KeyStore(t.db, config, { now: () => clock.now }) };
    }

    it("stops verifying a deleted key within the reload cooldown, while a published key keeps verifying", async () => {
      const doomed = await createSigningKey(t.db, config);
      const kept = await createSigningKey(t.db, config);
      const { clock, keys } = verifier();
      expect(await keys.verificationKey(doomed.id, "RS256")).toBeDefined();

      await t.db.signingKey.delete({ where: { id: doomed.id } }); // compromised: deleted everywhere
      // Within the cooldown the cache answers without a query: the documented window.
      clock.now += KEY_RELOAD_COOLDOWN_MS - 1;
      expect(await keys.verificationKey(doomed.id, "RS256")).toBeDefined();
      // The first verification once the cooldown has passed re-reads the published set.
      clock.now += 1;
      expect(await keys.verificationKey(doomed.id, "RS256")).toBeUndefined();
      expect(await keys.verificationKey(kept.id, "RS256")).toBeDefined();
    });

    it("refuses a session JWT signed by a key deleted after it was cached", async () => {
      const { principal } = await signUp(t.vault);
      const { kid } = decodeProtectedHeader(principal.token);
      const { clock, keys } = verifier();
      await expect(verifySessionToken(keys, config, principal.token)).resolves.toMatchObject({ sub: principal.userId });

      await t.db.signingKey.delete({ where: { id: kid! } });
      clock.now += KEY_RELOAD_COOLDOWN_MS;
      await expect(verifySessionToken(keys, config, principal.token)).rejects.toMatchObject({ tag: "@error/Unauthenticated" });
    });

    it("drops a retired key from the cache once it is no longer published", async () => {
      const ttl = retiredKeyRetentionSeconds(config) * 1000;
      const retiring = await createSigningKey(t.db, config, new Date(Date.now() - 2 * ttl));
      await t.db.signingKey.update({ where: { id: retiring.id }, data: { retiresAt: new Date(Date.now() - ttl / 2) } });
      const { clock, keys } = verifier();
      expect(await keys.verificationKey(retiring.id, "RS256")).toBeDefined();

      // Its last token has expired: a verifier whose clock has moved on no longer publishes it.
      clock.now += ttl;
      expect(await keys.verificationKey(retiring.id, "RS256")).toBeUndefined();
    });

    it("reloads at most once per cooldown, whatever kids tokens name", async () => {
      const { clock, keys } = verifier();
      await keys.verificationKey("unknown-kid", "RS256"); // the first reload
      const added = await createSigningKey(t.db, config);
      // Unknown kids within the cooldown do not reach the database: the new key is not seen yet.
      expect(await keys.verificationKey(added.id, "RS256")).toBeUndefined();
      clock.now += KEY_RELOAD_COOLDOWN_MS;
      expect(await keys.verificationKey(added.id, "RS256")).toBeDefined();
    });
  });
});

describe.each(testProviders())("key rotation (%s)", (provider) => {
  const t = useVault(provider);
  const config = loadVaultConfig(TEST_ENV);
  const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

  /** A server process (signer and verifier) on a clock the test moves. */
  function server(at: number) {
    const clock = { now: at };
    return { clock, keys: new KeyStore(t.db, config, { now: () => clock.now }) };
  }
  const kids = async (keys: KeyStore) => (await keys.jwks()).keys.map((key) => key.kid);

  it("outlasts every cache: the publish delay exceeds the JWKS max-age plus the verifiers' re-fetch cooldown", () => {
    expect(KEY_PUBLISH_DELAY_SECONDS).toBeGreaterThan(JWKS_MAX_AGE_SECONDS + KEY_RELOAD_COOLDOWN_MS / 1000);
    expect(retiredKeyRetentionSeconds(config)).toBeGreaterThan(config.sessionTtlSeconds + ACTIVE_KEY_RECHECK_MS / 1000);
  });

  it("publishes the new key at once, signs with it only after the delay, and old tokens keep verifying", async () => {
    const before = await signUp(t.vault); // signed by the first key
    const oldKid = decodeProtectedHeader(before.principal.token).kid!;
    const start = Date.now();
    expect(await kids(server(start).keys)).toEqual([oldKid]);

    const next = await rotateSigningKey(t.db, config, new Date(start));
    expect(next.state).toBe("upcoming");
    expect(next.activatesAt.getTime()).toBe(start + KEY_PUBLISH_DELAY_SECONDS * 1000);

    // Published at once, to every process: the JWKS has both, and never a private member.
    const { clock, keys } = server(start);
    expect(await kids(keys)).toEqual([oldKid, next.kid]);
    for (const jwk of (await keys.jwks()).keys) {
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
    // Not signing yet: the old key signs until the last instant of the delay, in any process.
    expect((await keys.signingKey()).kid).toBe(oldKid);
    clock.now = next.activatesAt.getTime() - 1;
    expect((await keys.signingKey()).kid).toBe(oldKid);
    expect((await server(clock.now).keys.signingKey()).kid).toBe(oldKid);
    await expect(rotateSigningKey(t.db, config, new Date(clock.now))).rejects.toBeInstanceOf(RotationInProgressError);

    // From then on the new key signs (a running process notices within its re-check interval) …
    clock.now = next.activatesAt.getTime();
    expect((await server(clock.now).keys.signingKey()).kid).toBe(next.kid);
    clock.now += ACTIVE_KEY_RECHECK_MS;
    expect((await keys.signingKey()).kid).toBe(next.kid);
    // … and the token the old key signed before the rotation still verifies.
    await expect(verifySessionToken(keys, config, before.principal.token)).resolves.toMatchObject({ sub: before.principal.userId });
    expect((await listSigningKeys(t.db, config, new Date(clock.now))).map((key) => [key.kid, key.state])).toEqual([
      [oldKid, "retired"],
      [next.kid, "signing"],
    ]);

    // Once every token the old key can have signed has expired, it leaves the JWKS and is deleted.
    const retention = retiredKeyRetentionSeconds(config) * 1000;
    clock.now = next.activatesAt.getTime() + retention - 1;
    expect(await kids(server(clock.now).keys)).toEqual([oldKid, next.kid]);
    expect(await deleteExpiredSigningKeys(t.db, config, new Date(clock.now))).toBe(0);
    clock.now += 1;
    const later = server(clock.now).keys;
    expect(await kids(later)).toEqual([next.kid]);
    expect(await later.verificationKey(oldKid, "RS256")).toBeUndefined();
    expect(await deleteExpiredSigningKeys(t.db, config, new Date(clock.now))).toBe(1);
    expect((await t.db.signingKey.findMany()).map((key) => key.id)).toEqual([next.kid]);
  });

  it("signs at once on a database with no key yet, and never publishes a private member of any algorithm", async () => {
    await t.db.signingKey.deleteMany();
    const first = await rotateSigningKey(t.db, config);
    expect(first.state).toBe("signing");
    for (const algorithm of ["ES256", "EdDSA"] as const) {
      await createSigningKey(t.db, loadVaultConfig({ ...TEST_ENV, JWT_ALGORITHM: algorithm }), new Date(Date.now() + 60_000));
    }
    const { keys } = await t.vault.jwks();
    expect(keys.map((key) => key.alg)).toEqual(["RS256", "ES256", "EdDSA"]);
    for (const jwk of keys) {
      expect(jwk.use).toBe("sig");
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
  });
});
