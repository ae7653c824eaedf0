// npm run keys:rotate / keys:list as an operator runs them: plain `node`, a child process, against
// a test database of each provider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_PUBLISH_DELAY_SECONDS } from "../../lib/vault/keys";
import { runScript } from "../support/cli";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";
import { TEST_ENV } from "../support/vault-harness";

describe.each(testProviders())("npm run keys:* (%s)", (provider) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
  });
  afterAll(() => testDb.drop());

  const cli = (...args: string[]) => runScript("keys.mjs", args, { ...TEST_ENV, DATABASE_URL: testDb.url });

  it("rotates: the new key is upcoming for the publish delay, one rotation at a time, no private key printed", async () => {
    const first = await cli("rotate");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("signs from now (there was no signing key)");

    const second = await cli("rotate");
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`is published now and signs from .* \\(in (${KEY_PUBLISH_DELAY_SECONDS}|${KEY_PUBLISH_DELAY_SECONDS - 1}) s\\)`));
    const rows = await testDb.db.signingKey.findMany({ orderBy: { activatesAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.retiresAt).toEqual(rows[1]!.activatesAt);

    const third = await cli("rotate");
    expect(third.status).toBe(1);
    expect(third.stderr).toContain(`A rotation is already under way: key ${rows[1]!.id}`);

    const listed = await cli("list");
    expect(listed.stdout).toMatch(new RegExp(`${rows[0]!.id}  RS256  signing .* published until `));
    expect(listed.stdout).toMatch(new RegExp(`${rows[1]!.id}  RS256  upcoming`));
    for (const output of [first, second, listed]) expect(output.stdout).not.toMatch(/PRIVATE KEY|"d"|v1\./);
  });

  it("refuses anything else with its usage", async () => {
    for (const args of [[], ["bogus"], ["rotate", "now"]]) {
      const result = await cli(...args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Usage: npm run keys:rotate");
    }
  });
});
