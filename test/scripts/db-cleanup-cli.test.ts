// npm run db:cleanup as an operator (or a system cron) runs it: plain `node`, a child process,
// against a test database of each provider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { runScript } from "../support/cli";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";
import { TEST_ENV, signUp } from "../support/vault-harness";

describe.each(testProviders())("npm run db:cleanup (%s)", (provider) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
  });
  afterAll(() => testDb.drop());

  const cli = (env: Record<string, string> = {}) => runScript("db-cleanup.mjs", [], { ...TEST_ENV, DATABASE_URL: testDb.url, ...env });

  it("deletes ended sessions and expired rate-limit windows, keeps live ones, and says how many", async () => {
    const vault = createVault(testDb.db, loadVaultConfig(TEST_ENV));
    const ended = await signUp(vault);
    const live = await signUp(vault);
    await vault.revokeSession(ended.principal.sessionId);
    await testDb.db.rateLimit.createMany({
      data: [
        { key: "over", points: 3, expire: new Date(Date.now() - 1000) },
        { key: "current", points: 3, expire: new Date(Date.now() + 60_000) },
      ],
    });

    const result = await cli();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/sessions 1\b/);
    expect(result.stdout).toMatch(/rateLimits 1\b/);
    expect(await testDb.db.session.findUnique({ where: { id: ended.principal.sessionId } })).toBeNull();
    await expect(vault.authenticateSession(live.principal.token)).resolves.toMatchObject({ userId: live.principal.userId });
    expect((await testDb.db.rateLimit.findMany()).map((row) => row.key)).toEqual(["current"]);

    expect((await cli()).stdout).toContain("Deleted 0 expired rows");
  });

  it("fails with the configuration problem, not a stack trace, when a setting is wrong", async () => {
    const result = await cli({ SESSION_IDLE_TIMEOUT_SECONDS: "soon" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("SESSION_IDLE_TIMEOUT_SECONDS must be a whole number");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
