// GET /api/cron/cleanup, the scheduled purge, called as Vercel's scheduler calls it: a real Request
// to the route handler, on a real database of each provider. Only the scheduler, holding
// CRON_SECRET, may run it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { createVault, loadVaultConfig } from "../../lib/vault";
import { createTestDb, testProviders, type TestDb } from "../support/test-db";
import { TEST_ENV, signUp } from "../support/vault-harness";

const CRON_SECRET = "cron-secret-for-tests-0123456789";

describe.each(testProviders())("GET /api/cron/cleanup (%s)", (provider) => {
  let testDb: TestDb;
  let GET: (request: NextRequest) => Promise<Response>;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
    // The app's singletons (getDb, getVault) read these on first use.
    vi.stubEnv("DATABASE_URL", testDb.url);
    vi.stubEnv("APP_ORIGIN", TEST_ENV.APP_ORIGIN);
    vi.stubEnv("AUTH_SECRET", TEST_ENV.AUTH_SECRET);
    vi.resetModules();
    delete (globalThis as { passkeyDb?: unknown }).passkeyDb;
    delete (globalThis as { passkeyVault?: unknown }).passkeyVault;
    ({ GET } = await import("../../app/api/cron/cleanup/route"));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    const app = globalThis as { passkeyDb?: { $disconnect(): Promise<void> }; passkeyVault?: unknown };
    await app.passkeyDb?.$disconnect();
    delete app.passkeyDb;
    delete app.passkeyVault;
    await testDb.drop();
  });

  const call = (authorization?: string) =>
    GET(new NextRequest("http://localhost:3000/api/cron/cleanup", { headers: authorization ? { authorization } : {} }));

  /** A signed-in account whose session has expired, and one that is live. */
  async function seed() {
    const vault = createVault(testDb.db, loadVaultConfig(TEST_ENV));
    const expired = await signUp(vault);
    const live = await signUp(vault);
    await testDb.db.session.update({ where: { id: expired.principal.sessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    return { expired: expired.principal.sessionId, live: live.principal.sessionId };
  }

  it("refuses a request without the secret, or with another one, and deletes nothing", async () => {
    vi.stubEnv("CRON_SECRET", CRON_SECRET);
    const { expired } = await seed();
    for (const authorization of [undefined, "Bearer wrong-secret", `Bearer ${CRON_SECRET}x`, CRON_SECRET, `Basic ${CRON_SECRET}`]) {
      const response = await call(authorization);
      expect(response.status).toBe(401);
      expect((await response.json()).error.tag).toBe("@error/Unauthenticated");
    }
    expect(await testDb.db.session.findUnique({ where: { id: expired } })).not.toBeNull();
  });

  it("refuses every request while CRON_SECRET is unset, and says why in the log only", async () => {
    vi.stubEnv("CRON_SECRET", "");
    const { expired } = await seed();
    const log = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      for (const authorization of [undefined, "Bearer ", "Bearer undefined"]) {
        const response = await call(authorization);
        expect(response.status).toBe(503);
        expect(JSON.stringify(await response.json())).not.toContain("CRON_SECRET");
      }
      expect(String(log.mock.calls.flat().map(String))).toContain("CRON_SECRET must be set");
    } finally {
      log.mockRestore();
    }
    expect(await testDb.db.session.findUnique({ where: { id: expired } })).not.toBeNull();
  });

  it("purges with the secret: expired rows go, live ones stay, and it says how many", async () => {
    vi.stubEnv("CRON_SECRET", CRON_SECRET);
    const { expired, live } = await seed();
    const response = await call(`Bearer ${CRON_SECRET}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { deleted } = await response.json();
    expect(deleted.sessions).toBeGreaterThanOrEqual(1);
    expect(await testDb.db.session.findUnique({ where: { id: expired } })).toBeNull();
    expect(await testDb.db.session.findUnique({ where: { id: live } })).not.toBeNull();
  });
});
