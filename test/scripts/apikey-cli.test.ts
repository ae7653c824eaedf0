// The API-key CLIs as an operator runs them: plain `node`, a child process, against a test database
// of each provider (so they must load without Next.js and without server-only).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../../lib/vault/api-keys";
import { runScript } from "../support/cli";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";
import { expectVaultError } from "../support/vault-harness";

describe.each(testProviders())("npm run apikey:* (%s)", (provider) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
  });
  afterAll(() => testDb.drop());

  const cli = (...args: string[]) => runScript("apikey.mjs", args, { DATABASE_URL: testDb.url });

  it("creates a key, prints it once, lists it without it, and revokes it", async () => {
    const created = await cli("create", "billing", "service");
    expect(created.status).toBe(0);
    const key = /^(pkv\.[^\s]+)$/m.exec(created.stdout)?.[1];
    const id = key?.split(".")[1];
    expect(id).toBeDefined();
    expect(created.stdout).toContain(`Created API key ${id} for "billing service"`);
    await expect(authenticateApiKey(testDb.db, key)).resolves.toEqual({ id, name: "billing service" });

    const listed = await cli("list");
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("live");
    expect(listed.stdout).not.toContain(key!.split(".")[2]);

    expect((await cli("revoke", id!)).stdout).toContain(`Revoked API key ${id}`);
    await expectVaultError(authenticateApiKey(testDb.db, key), "Unauthenticated");
    const again = await cli("revoke", id!);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("No live API key");
  });

  it("refuses a missing name or id with its usage", async () => {
    for (const args of [["create"], ["revoke"], ["bogus"]]) {
      const result = await cli(...args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Usage: npm run apikey:create");
    }
  });
});
