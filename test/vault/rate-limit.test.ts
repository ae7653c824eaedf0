import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRateLimitConfig, type RateLimitConfig } from "../../lib/vault/config";
import type { Db } from "../../lib/db-client";
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

/** `db`, recording the name of every operation it sends to the database (model methods and raw queries). */
function countingDb(db: Db, operations: string[]): Db {
  const counting = db.$extends({
    query: {
      $allOperations({ operation, args, query }) {
        operations.push(operation);
        return query(args);
      },
    },
  });
  // The extended client has the same methods; TypeScript cannot see it as the base client type.
  return counting as unknown as Db;
}

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

  it("starts a new window on the first hit after one ends, counting a burst at the boundary exactly once per hit", async () => {
    // RATE_LIMIT_PER_EMAIL is 3 per second here: spend a window, let it end, then burst.
    const email = `boundary.${counter}@example.com`;
    const hitEmail = () => limiter.hitSubject({ email });
    expect(await burst(5, hitEmail)).toEqual({ passed: 3, limited: 2 });
    await sleep(1100);
    // The expired row is replaced, not added to: exactly `points` of the burst pass again.
    expect(await burst(8, hitEmail)).toEqual({ passed: 3, limited: 5 });
    // The row holds the new window in the column's own format: the ORM reads it back as a date one
    // second ahead, and sees every hit of the new window counted.
    const [row] = await testDb.db.rateLimit.findMany({ where: { key: { startsWith: "perEmail:" } }, orderBy: { expire: "desc" }, take: 1 });
    expect(row!.points).toBe(8);
    const ahead = row!.expire!.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(1000);
  });

  it("makes one database round trip per hit", async () => {
    const statements: string[] = [];
    const counted = createRateLimiter(countingDb(testDb.db, statements), config(), TEST_ENV.AUTH_SECRET);
    const client = address();
    await counted.hit("challenges", client); // the first hit also purges expired rows, once a minute
    statements.length = 0;
    await counted.hit("challenges", client);
    await counted.hit("challenges", client);
    expect(statements).toEqual(["$queryRaw", "$queryRaw"]);
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
