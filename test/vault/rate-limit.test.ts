import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRateLimitConfig, type RateLimitConfig } from "../../lib/vault/config";
import { createRateLimiter, type RateLimiter } from "../../lib/vault/rate-limit";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";
import { expectVaultError, signUp, TEST_ENV, useVault } from "../support/vault-harness";

const config = (env: Record<string, string> = {}): RateLimitConfig =>
  loadRateLimitConfig({
    RATE_LIMIT_CHALLENGES: "5/60",
    RATE_LIMIT_EMAIL_LOOKUPS: "20/60",
    RATE_LIMIT_PER_EMAIL: "3/1",
    RATE_LIMIT_PER_ACCOUNT: "3/60",
    RATE_LIMIT_UNKNOWN_CLIENT_FACTOR: "2",
    ...env,
  });

let counter = 0;
/** A fresh address per test, so tests sharing a database do not share buckets. */
const address = () => `198.51.100.${++counter}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` hits at once; answers how many passed and how many were rate limited (anything else throws). */
async function burst(count: number, hit: () => Promise<void>) {
  const results = await Promise.allSettled(Array.from({ length: count }, hit));
  let passed = 0;
  let limited = 0;
  for (const result of results) {
    if (result.status === "fulfilled") passed++;
    else if (result.reason?.kind === "RateLimited") limited++;
    else throw result.reason;
  }
  return { passed, limited };
}

describe.each(testProviders())("rate limiter (%s)", (provider) => {
  let testDb: TestDb;
  let limiter: RateLimiter;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
    limiter = createRateLimiter(testDb.db, config(), TEST_ENV.AUTH_SECRET);
  });
  afterAll(() => testDb.drop());

  it("lets `points` hits from one address through, then answers RateLimited with retryAfter", async () => {
    const client = address();
    for (let i = 0; i < 5; i++) await limiter.hit("challenges", client);
    const error = await expectVaultError(limiter.hit("challenges", client), "RateLimited");
    expect(error.status).toBe(429);
    expect(error.details.retryAfter).toBeGreaterThanOrEqual(55);
    expect(error.details.retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected; nor is another rule for the same address.
    await limiter.hit("challenges", address());
    await limiter.hit("verifications", client);
  });

  it("counts every one of many parallel hits (the cap holds under a burst, across instances)", async () => {
    const client = address();
    // Two limiters on one database: two serverless instances.
    const other = createRateLimiter(testDb.db, config(), TEST_ENV.AUTH_SECRET);
    const outcome = await burst(30, () => (Math.random() < 0.5 ? limiter : other).hit("challenges", client));
    expect(outcome).toEqual({ passed: 5, limited: 25 });
  });

  it("gives clients it cannot tell apart one shared bucket, `factor` times larger", async () => {
    const fresh = await createTestDb(provider);
    try {
      const shared = createRateLimiter(fresh.db, config(), TEST_ENV.AUTH_SECRET);
      expect(await burst(12, () => shared.hit("challenges", null))).toEqual({ passed: 10, limited: 2 });
      await shared.hit("challenges", address());
    } finally {
      await fresh.drop();
    }
  });

  it("stores neither addresses nor emails, only keyed hashes", async () => {
    const client = "203.0.113.77";
    await limiter.hit("emailLookups", client, { email: "Stored.Person@Example.com" });
    const keys = (await testDb.db.rateLimit.findMany()).map((row) => row.key).join(" ");
    expect(keys).not.toContain("203.0.113");
    expect(keys.toLowerCase()).not.toContain("stored.person");
  });

  it("limits per email across addresses, with the vault's normalisation, and only for a short window", async () => {
    const email = `Victim.${counter}@example.com`;
    // An attacker rotating addresses spends the email's budget…
    for (const spelling of [email, email.toLowerCase(), `  ${email.toUpperCase()} `]) {
      await limiter.hit("emailLookups", address(), { email: spelling });
    }
    // …which delays the victim, from their own address, by at most the window (1 s here)…
    const victim = address();
    const error = await expectVaultError(limiter.hit("emailLookups", victim, { email }), "RateLimited");
    expect(error.details.retryAfter).toBeLessThanOrEqual(1);
    // …and no longer: after the window the victim's lookup goes through.
    await sleep(1100);
    await limiter.hit("emailLookups", victim, { email });
  });

  it("counts the address first: an address over its limit cannot spend a victim's email budget", async () => {
    const attacker = address();
    const strict = createRateLimiter(testDb.db, config({ RATE_LIMIT_EMAIL_LOOKUPS: "2/60", RATE_LIMIT_PER_EMAIL: "3/60" }), TEST_ENV.AUTH_SECRET);
    const email = `target.${counter}@example.com`;
    await strict.hit("emailLookups", attacker, { email });
    await strict.hit("emailLookups", attacker, { email });
    for (let i = 0; i < 10; i++) await expectVaultError(strict.hit("emailLookups", attacker, { email }), "RateLimited");
    // The email has been counted twice, not twelve times: its owner still has one lookup.
    await strict.hit("emailLookups", address(), { email });
  });

  it("limits per account", async () => {
    const accountId = `account-${counter}`;
    for (let i = 0; i < 3; i++) await limiter.hit("codeExchanges", address(), { accountId });
    await expectVaultError(limiter.hit("codeExchanges", address(), { accountId }), "RateLimited");
    await limiter.hit("codeExchanges", address(), { accountId: `${accountId}-other` });
  });
});

describe.each(testProviders())("rate limits and single-use codes (%s)", (provider) => {
  const t = useVault(provider);

  it("tells the account's owner once per window that its requests were slowed, however many were refused", async () => {
    const { principal } = await signUp(t.vault);
    const limiter = createRateLimiter(t.db, config({ RATE_LIMIT_PER_ACCOUNT: "3/60" }), TEST_ENV.AUTH_SECRET);
    const outcome = await burst(10, () => limiter.hit("codeExchanges", address(), { accountId: principal.userId }));
    expect(outcome).toEqual({ passed: 3, limited: 7 });
    const events = await t.db.securityEvent.findMany({ where: { userId: principal.userId, type: "rate_limited" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details)).toEqual({ rule: "perAccount" });
  });

  it("a code redeemed in parallel behind the limiter still has exactly one winner", async () => {
    const limiter = createRateLimiter(t.db, config({ RATE_LIMIT_CODE_EXCHANGES: "50/60" }), TEST_ENV.AUTH_SECRET);
    const { authenticator } = await signUp(t.vault);
    const { token, options } = await t.vault.authorizeAuthentication({});
    const { code } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    const client = address();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, async () => {
        await limiter.hit("codeExchanges", client);
        return t.vault.exchangeCode(code);
      }),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason.kind).toBe("InvalidCode");
    }
  });
});
