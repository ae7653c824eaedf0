import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, it, vi } from "vitest";
import { PrismaClient as PostgresPrismaClient } from "../../generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "../../generated/sqlite/client";
import type { Db } from "../../lib/db-client";
import { errorResponse } from "../../lib/http/json-route";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { DECOY_COUNTS, DECOY_PROFILES } from "../../lib/vault/decoys";
import { testProviders, type TestProvider } from "../support/test-db";
import { TEST_ENV, expectVaultError, newAuthenticator, signUp, uniqueEmail, useVault } from "../support/vault-harness";

/** A second client on the test database that logs every SQL statement it sends. */
function loggingClient(provider: TestProvider, url: string): { db: Db; queries: string[] } {
  const queries: string[] = [];
  const onQuery = (event: { query: string }) => queries.push(event.query);
  if (provider === "sqlite") {
    const adapter = new PrismaBetterSqlite3({ url: url.replace(/^file:/, "") });
    const db = new SqlitePrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
    db.$on("query", onQuery);
    return { db, queries };
  }
  const adapter = new PrismaPg({ connectionString: url });
  const db = new PostgresPrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  db.$on("query", onQuery);
  return { db: db as unknown as Db, queries };
}

describe.each(testProviders())("authentication (%s)", (provider) => {
  const t = useVault(provider);

  async function login(authenticator: ReturnType<typeof newAuthenticator>, body: object = {}, overrides = {}) {
    const { token, options } = await t.vault.authorizeAuthentication(body);
    const response = await authenticator.authenticate(options, overrides);
    return { token, options, response };
  }

  it("signs in with a discoverable passkey (empty allowCredentials) and moves the counter forward", async () => {
    const { authenticator, credential, principal: first } = await signUp(t.vault);
    const { token, options, response } = await login(authenticator);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe("localhost");
    const { code } = await t.vault.verifyAuthentication({ token, response });
    const principal = await t.vault.exchangeCode(code);
    expect(principal.userId).toBe(first.userId);
    expect(principal.sessionId).not.toBe(first.sessionId);
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(1n);
    expect(passkey.lastUsedAt).not.toBeNull();
  });

  it("email-first login allows exactly that account's passkeys", async () => {
    const { email, authenticator, credential } = await signUp(t.vault);
    const { token, options, response } = await login(authenticator, { email });
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([credential.id]);
    await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
  });

  it("answers an unknown email with the same shape, stable across requests (no account enumeration)", async () => {
    const { email } = await signUp(t.vault);
    const known = await t.vault.authorizeAuthentication({ email });
    const unknownEmail = uniqueEmail("nobody");
    const unknown1 = await t.vault.authorizeAuthentication({ email: unknownEmail });
    const unknown2 = await t.vault.authorizeAuthentication({ email: unknownEmail });
    expect(Object.keys(unknown1).sort()).toEqual(Object.keys(known).sort());
    expect(Object.keys(unknown1.options).sort()).toEqual(Object.keys(known.options).sort());
    expect(unknown1.options.allowCredentials!.length).toBeGreaterThanOrEqual(1);
    expect(unknown1.options.allowCredentials).toEqual(unknown2.options.allowCredentials);
    for (const { id } of unknown1.options.allowCredentials!) {
      expect(await t.db.passkey.findUnique({ where: { credentialId: id } })).toBeNull();
    }
  });

  it("gives unknown emails decoy lists shaped like real accounts: varied count, id lengths and transports, stable per email", async () => {
    const shape = (list: { id: string; transports?: string[] }[]) =>
      list.map(({ id, transports }) => `${Buffer.from(id, "base64url").length}:${(transports ?? []).join("+")}`);
    const realShapes = new Set(DECOY_PROFILES.map((p) => `${p.bytes}:${p.transports.join("+")}`));
    const counts = new Set<number>();
    const shapes = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const email = uniqueEmail("nobody");
      const first = (await t.vault.authorizeAuthentication({ email })).options.allowCredentials!;
      const again = (await t.vault.authorizeAuthentication({ email: ` ${email.toUpperCase()} ` })).options.allowCredentials!;
      expect(again).toEqual(first); // stable, also for the same email written differently
      expect(first.length).toBeGreaterThanOrEqual(1);
      expect(first.length).toBeLessThanOrEqual(Math.max(...DECOY_COUNTS.map((c) => c.count)));
      counts.add(first.length);
      for (const s of shape(first)) {
        expect(realShapes).toContain(s); // 16/20/32/64-byte ids with transports real authenticators report
        shapes.add(s);
      }
    }
    // Not one fixed shape: an account with two passkeys or a security key must not stand out.
    expect(counts.size).toBeGreaterThan(1);
    expect(new Set([...shapes].map((s) => s.split(":")[0])).size).toBeGreaterThan(1);
    expect(new Set([...shapes].map((s) => s.split(":")[1])).size).toBeGreaterThan(1);
  });

  it("does the same database work for a known and an unknown email (one query, then the challenge)", async () => {
    const { email } = await signUp(t.vault);
    const logged = loggingClient(provider, t.url);
    try {
      const vault = createVault(logged.db, loadVaultConfig(TEST_ENV));
      await vault.authorizeAuthentication({}); // the once-a-minute purge runs here, not below
      const statements = async (body: object) => {
        logged.queries.length = 0;
        await vault.authorizeAuthentication(body);
        // Parameters are placeholders, so equal texts mean equal statements.
        return logged.queries.filter((q) => !/^(BEGIN|COMMIT)/i.test(q));
      };
      const known = await statements({ email });
      const unknown = await statements({ email: uniqueEmail("nobody") });
      const selects = (queries: string[]) => queries.filter((q) => /^SELECT/i.test(q));
      // The same lookup, to the letter; then the same write (its column list may differ: only a
      // known account's challenge names a user).
      expect(selects(known)).toHaveLength(1);
      expect(selects(known)).toEqual(selects(unknown));
      const statement = (q: string) => q.split(" (")[0];
      expect(known.map(statement)).toEqual(unknown.map(statement));
    } finally {
      await logged.db.$disconnect();
    }
  });

  it("answers a known and an unknown email in about the same time (medians of interleaved runs)", async () => {
    const { email } = await signUp(t.vault);
    const nobody = uniqueEmail("nobody");
    const time = async (body: object) => {
      const start = process.hrtime.bigint();
      await t.vault.authorizeAuthentication(body);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    for (let i = 0; i < 10; i++) await time(i % 2 ? { email } : { email: nobody }); // warm up
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 80; i++) {
      // Interleaved, so load on the machine falls on both alike.
      if (i % 2) known.push(await time({ email }));
      else unknown.push(await time({ email: nobody }));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const [k, u] = [median(known), median(unknown)];
    console.info(`authorizeAuthentication median (${provider}): known ${k.toFixed(3)} ms, unknown ${u.toFixed(3)} ms`);
    // Generous: this guards against a path that does clearly more or less work, not against noise.
    expect(Math.abs(k - u)).toBeLessThan(Math.max(1, 0.5 * Math.max(k, u)));
  });

  it.each([
    ["crossOrigin: true", { crossOrigin: true }],
    ["crossOrigin: true with a topOrigin", { crossOrigin: true, topOrigin: "https://evil.example" }],
    ["a topOrigin", { topOrigin: "http://localhost:3000" }],
  ])("refuses a login made inside another site's frame (%s)", async (_, overrides) => {
    const { authenticator, credential } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, overrides);
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(0n);
  });

  it("signs in with a 1023-byte credential id and refuses a 1024-byte one (decoded length)", async () => {
    const longest = Buffer.alloc(1023, 1).toString("base64url");
    const authenticator = newAuthenticator();
    const { token, options } = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { code } = await t.vault.verifyRegistration({ token, response: (await authenticator.register(options, { credentialId: longest })).response });
    await t.vault.exchangeCode(code);

    const ok = await login(authenticator);
    await expect(t.vault.verifyAuthentication({ token: ok.token, response: ok.response })).resolves.toHaveProperty("code");
    const tooLong = Buffer.alloc(1024, 1).toString("base64url");
    const refused = await login(authenticator, {}, { credentialId: tooLong });
    const error = await expectVaultError(t.vault.verifyAuthentication({ token: refused.token, response: refused.response }), "BadRequest");
    expect(error.details).toEqual({ field: "response.id" });
  });

  it("refuses a discoverable login whose response has no user handle", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, { userHandle: null });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
  });

  it("accepts an email-first login without a user handle, as authenticators may omit it when the account is named", async () => {
    const { email, authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator, { email }, { userHandle: null });
    await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
  });

  it("refuses a user handle that belongs to another account", async () => {
    const alice = await signUp(t.vault);
    const bob = await signUp(t.vault);
    for (const body of [{}, { email: alice.email }]) {
      const { token, response } = await login(alice.authenticator, body, { userHandle: bob.credential.userHandle });
      await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
    }
  });

  it("records a change of the backup-eligible flag on a known passkey, and still signs in", async () => {
    const { authenticator, credential, principal } = await signUp(t.vault); // registered with BE = 0
    const session = await t.vault.authenticateSession(principal.token);
    const same = await login(authenticator);
    await t.vault.verifyAuthentication({ token: same.token, response: same.response });
    expect(await t.db.securityEvent.count({ where: { userId: principal.userId, type: "backup_eligibility_changed" } })).toBe(0);

    const flipped = await login(authenticator, {}, { backupEligible: true, backupState: true });
    await expect(t.vault.verifyAuthentication({ token: flipped.token, response: flipped.response })).resolves.toHaveProperty("code");
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    const events = await t.vault.listSecurityEvents(session);
    expect(events[0]).toMatchObject({ type: "backup_eligibility_changed", details: { passkeyId: passkey.id } });
    // The registered value is kept: BE cannot legitimately change, so it stays the reference.
    expect(passkey.deviceType).toBe("singleDevice");
  });

  it("refuses another account's passkey on an email-first token", async () => {
    const alice = await signUp(t.vault);
    const bob = await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({ email: alice.email });
    // Bob's authenticator answers although the browser was told to allow only Alice's passkey.
    const response = await bob.authenticator.authenticate({ ...options, allowCredentials: [] });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
  });

  describe("email-first refusals: the same for a known and an unknown email", () => {
    /** A refusal as the route sends it (lib/http/json-route.ts): status, headers and body bytes. */
    async function refusal(verify: Promise<unknown>) {
      const error = await expectVaultError(verify, "Verification");
      vi.spyOn(console, "warn").mockImplementationOnce(() => {}); // the route logs the cause server-side
      const response = errorResponse(error);
      return { status: response.status, headers: [...response.headers], body: await response.text() };
    }

    /** Attack A, no passkey needed: an offered credential id, signed by some other key. */
    async function offeredIdOtherKey(email: string, attacker: ReturnType<typeof newAuthenticator>) {
      const { token, options } = await t.vault.authorizeAuthentication({ email });
      const offered = options.allowCredentials![0]!.id;
      const response = await attacker.authenticate({ ...options, allowCredentials: [] }, { credentialId: offered, userHandle: null });
      return refusal(t.vault.verifyAuthentication({ token, response }));
    }

    /** Attack B: the attacker's own registered passkey, ignoring allowCredentials. */
    async function ownPasskey(email: string, attacker: ReturnType<typeof newAuthenticator>) {
      const { token, options } = await t.vault.authorizeAuthentication({ email });
      const response = await attacker.authenticate({ ...options, allowCredentials: [] });
      return refusal(t.vault.verifyAuthentication({ token, response }));
    }

    it.each([
      ["an offered credential id with another key's signature (attack A)", offeredIdOtherKey],
      ["the attacker's own passkey, not offered (attack B)", ownPasskey],
    ])("refuses %s byte for byte alike, issues no code, and the owner still signs in", async (_, attack) => {
      const owner = await signUp(t.vault);
      const attacker = await signUp(t.vault);
      const codes = await t.db.code.count();

      const known = await attack(owner.email, attacker.authenticator);
      const unknown = await attack(uniqueEmail("nobody"), attacker.authenticator);
      expect(unknown).toEqual(known);
      expect(known.status).toBe(401);
      expect(JSON.parse(known.body)).toMatchObject({ error: { tag: "@error/Verification" } });
      expect(await t.db.code.count()).toBe(codes);

      const { token, options, response } = await login(owner.authenticator, { email: owner.email });
      expect(options.allowCredentials?.map((c) => c.id)).toEqual([owner.credential.id]);
      await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
    });

    it("refuses an unknown email's decoy even to a passkey registered under the decoy's id", async () => {
      const email = uniqueEmail("nobody");
      const decoyId = (await t.vault.authorizeAuthentication({ email })).options.allowCredentials![0]!.id;
      // An authenticator may choose its credential ids: an attacker's can choose the decoy's.
      const squatter = newAuthenticator();
      const registration = await t.vault.authorizeRegistration({ email: uniqueEmail() });
      const registered = await squatter.register(registration.options, { credentialId: decoyId });
      await t.vault.exchangeCode((await t.vault.verifyRegistration({ token: registration.token, response: registered.response })).code);

      const codes = await t.db.code.count();
      const { token, response } = await login(squatter, { email });
      expect(response.id).toBe(decoyId);
      await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
      expect(await t.db.code.count()).toBe(codes);
    });

    it("answers Verification, not OrphanedPasskey, for an offered passkey deleted since", async () => {
      const { email, authenticator, credential } = await signUp(t.vault);
      const { token, options } = await t.vault.authorizeAuthentication({ email });
      await t.db.passkey.delete({ where: { credentialId: credential.id } });
      const response = await authenticator.authenticate(options);
      await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
    });
  });

  it("answers OrphanedPasskey, with the credential id and RP ID, for a credential the vault does not know", async () => {
    const { authenticator, credential } = await signUp(t.vault);
    await t.db.passkey.delete({ where: { credentialId: credential.id } });
    const { token, response } = await login(authenticator);
    const error = await expectVaultError(t.vault.verifyAuthentication({ token, response }), "OrphanedPasskey");
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ credentialId: credential.id, rpId: "localhost" });
  });

  it("refuses a replayed response: same token, and a fresh token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    await t.vault.verifyAuthentication({ token, response });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "InvalidToken");
    const fresh = await t.vault.authorizeAuthentication({});
    await expectVaultError(t.vault.verifyAuthentication({ token: fresh.token, response }), "Verification");
  });

  it.each([
    ["origin", { origin: "https://evil.example" }],
    ["challenge", { challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
    ["RP ID", { rpId: "evil.example" }],
    ["ceremony type", { type: "webauthn.create" }],
    ["signature", { tamperSignature: true }],
    ["user handle", { userHandle: "c29tZW9uZS1lbHNl" }],
  ])("refuses a response with a bad %s and leaves the counter alone", async (_, overrides) => {
    const { authenticator, credential } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, overrides);
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "Verification");
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(0n);
    expect(await t.db.code.count({ where: { passkeyId: passkey.id, ceremony: "authentication" } })).toBe(0);
  });

  it("refuses a counter that does not move forward (a cloned authenticator)", async () => {
    const { authenticator, credential } = await signUp(t.vault);
    const first = await login(authenticator, {}, { counter: 5 });
    await t.vault.verifyAuthentication({ token: first.token, response: first.response });
    for (const counter of [5, 4]) {
      const again = await login(authenticator, {}, { counter });
      await expectVaultError(t.vault.verifyAuthentication({ token: again.token, response: again.response }), "Verification");
    }
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(5n);
  });

  it("enforces userVerification: required on the server, whatever the browser did", async () => {
    const { authenticator } = await signUp(t.vault);
    const refused = await login(authenticator, { userVerification: "required" }, { userVerified: false });
    await expectVaultError(t.vault.verifyAuthentication({ token: refused.token, response: refused.response }), "Verification");
    const accepted = await login(authenticator, { userVerification: "required" });
    const { code } = await t.vault.verifyAuthentication({ token: accepted.token, response: accepted.response });
    expect((await t.vault.exchangeCode(code)).userVerified).toBe(true);
  });

  it("records a login without user verification as uv=false when it was only preferred", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator, {}, { userVerified: false });
    const { code } = await t.vault.verifyAuthentication({ token, response });
    expect((await t.vault.exchangeCode(code)).userVerified).toBe(false);
  });

  it("lets exactly one of two concurrent verifies with the same token win", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    const results = await Promise.allSettled([
      t.vault.verifyAuthentication({ token, response }),
      t.vault.verifyAuthentication({ token, response }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("lets one of two different responses signed with the same counter win, even concurrently", async () => {
    // Both would pass SimpleWebAuthn's counter check if read before either is written: only the
    // compare-and-set on the stored counter stops a cloned authenticator winning the race.
    const { authenticator, credential } = await signUp(t.vault);
    const a = await login(authenticator, {}, { counter: 7 });
    const b = await login(authenticator, {}, { counter: 7 });
    const results = await Promise.allSettled([
      t.vault.verifyAuthentication({ token: a.token, response: a.response }),
      t.vault.verifyAuthentication({ token: b.token, response: b.response }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const passkey = await t.db.passkey.findUniqueOrThrow({ where: { credentialId: credential.id } });
    expect(passkey.counter).toBe(7n);
  });

  it("refuses a registration token at the authentication step", async () => {
    const { authenticator } = await signUp(t.vault);
    const registration = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const { response } = await login(authenticator);
    await expectVaultError(t.vault.verifyAuthentication({ token: registration.token, response }), "InvalidToken");
  });

  it("refuses an expired token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    await t.db.challenge.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectVaultError(t.vault.verifyAuthentication({ token, response }), "InvalidToken");
  });

  it.each([
    ["an unknown field", { reauthenticate: "yes", extra: 1 }],
    ["a bad userVerification", { userVerification: "always" }],
    ["a bad mediation", { mediation: "sometimes" }],
    ["autofill narrowed to an email", { email: "a@example.com", mediation: "conditional" }],
    ["a malformed email", { email: "@" }],
  ])("answers BadRequest for %s at authorize", async (_, body) => {
    await expectVaultError(t.vault.authorizeAuthentication(body), "BadRequest");
  });

  it("answers BadRequest for a malformed assertion without consuming the token", async () => {
    const { authenticator } = await signUp(t.vault);
    const { token, response } = await login(authenticator);
    const broken = { ...response, response: { ...response.response, signature: 12 } };
    await expectVaultError(t.vault.verifyAuthentication({ token, response: broken }), "BadRequest");
    await expect(t.vault.verifyAuthentication({ token, response })).resolves.toHaveProperty("code");
  });
});
