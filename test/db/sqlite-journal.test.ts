// The app's SQLite connection commits through a write-ahead log (lib/db-client.ts): without it
// every commit syncs a rollback journal and blocks the event loop (see README, Performance).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db";

describe("SQLite connection (lib/db-client.ts)", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb("sqlite");
  });
  afterAll(() => testDb.drop());

  it("runs in WAL mode with synchronous = NORMAL, and a write is visible to a second connection at once", async () => {
    const [journal] = await testDb.db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const [sync] = await testDb.db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    expect(journal!.journal_mode).toBe("wal");
    expect(Number(sync!.synchronous)).toBe(1); // NORMAL

    const { createDb } = await import("../../lib/db-client");
    const other = createDb(testDb.url);
    try {
      await testDb.db.user.create({
        data: { id: "u1", email: "wal@example.com", displayName: "WAL", webauthnUserId: "wal-handle" },
      });
      expect(await other.user.findUnique({ where: { id: "u1" }, select: { email: true } })).toEqual({ email: "wal@example.com" });
    } finally {
      await other.$disconnect();
    }
  });
});
