// The committed migrations, run by the real Prisma CLI through scripts/prisma.mjs and the offline
// schema-engine bridge (scripts/prisma-schema-engine.mjs) on fresh SQLite and PostgreSQL
// databases: `migrate status` on an empty database, `migrate deploy` creating the database,
// `migrate diff` from the migrations (shadow database), `migrate reset`, then the app's client on
// the result. This is the test that breaks when a Prisma upgrade breaks the bridge.
// PostgreSQL runs when TEST_POSTGRES_URL names a server database to create test databases from,
// e.g. TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, isUniqueViolation } from "../../lib/db-client";
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  uniquePostgresDatabaseUrl,
  type TestProvider,
} from "../support/test-db";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "";
const CLI_TIMEOUT_MS = 120_000;

/** Runs `node scripts/prisma.mjs <args>` against `databaseUrl`; returns its output. */
async function prisma(databaseUrl: string, args: string[], expectedExitCode = 0): Promise<string> {
  const run = promisify(execFile)(process.execPath, ["scripts/prisma.mjs", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: CLI_TIMEOUT_MS,
  });
  const { exitCode, stdout, stderr } = await run.then(
    (output) => ({ exitCode: 0, ...output }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      exitCode: error.code ?? -1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? String(error),
    }),
  );
  const output = stdout + stderr;
  if (exitCode !== expectedExitCode) {
    throw new Error(`prisma ${args.join(" ")} exited with ${exitCode}, expected ${expectedExitCode}:\n${output}`);
  }
  return output;
}

/** Pending migrations on an existing, empty database: the engine reads a migrations table that is not there yet. */
async function expectPendingMigrations(databaseUrl: string) {
  expect(await prisma(databaseUrl, ["migrate", "status"], 1)).toMatch(/have not yet been applied/);
}

async function expectMigrationsToWork(provider: TestProvider, databaseUrl: string) {
  // The database does not exist yet: the CLI creates it, then applies every migration.
  const deployed = await prisma(databaseUrl, ["migrate", "deploy"]);
  expect(deployed).toMatch(/database .* created/i);
  expect(deployed).toMatch(/All migrations have been successfully applied/);
  expect(await prisma(databaseUrl, ["migrate", "status"])).toMatch(/Database schema is up to date/);

  // The migrations produce exactly prisma/models.prisma (replayed into a shadow database).
  const migrationsDir = `prisma/${provider}/migrations`;
  await prisma(databaseUrl, ["migrate", "diff", "--from-migrations", migrationsDir, "--to-schema", `prisma/${provider}`, "--exit-code"]);

  expect(await prisma(databaseUrl, ["migrate", "reset", "--force"])).toMatch(/Database reset successful/);
  expect(await prisma(databaseUrl, ["migrate", "status"])).toMatch(/Database schema is up to date/);

  const db = createDb(databaseUrl);
  try {
    const publicKey = new Uint8Array([165, 1, 2, 3, 38]);
    await db.user.create({
      data: {
        id: "user-1",
        email: "ada@example.com",
        displayName: "Ada",
        webauthnUserId: "handle-1",
        passkeys: {
          create: {
            id: "passkey-1",
            credentialId: "credential-1",
            publicKey,
            counter: 4_294_967_295n,
            transports: '["internal","hybrid"]',
            deviceType: "multiDevice",
            backedUp: true,
            aaguid: "00000000-0000-0000-0000-000000000000",
            name: "Laptop",
          },
        },
      },
    });

    const user = await db.user.findUnique({ where: { email: "ada@example.com" }, include: { passkeys: true } });
    expect(user?.createdAt).toBeInstanceOf(Date);
    expect(user?.passkeys).toHaveLength(1);
    const [passkey] = user?.passkeys ?? [];
    expect(passkey).toMatchObject({ credentialId: "credential-1", counter: 4_294_967_295n, backedUp: true, lastUsedAt: null });
    expect(Array.from(passkey?.publicKey ?? [])).toEqual(Array.from(publicKey));

    const duplicateEmail = db.user.create({
      data: { id: "user-2", email: "ada@example.com", displayName: "Ada again", webauthnUserId: "handle-2" },
    });
    await expect(duplicateEmail).rejects.toSatisfy(isUniqueViolation);

    await db.user.delete({ where: { id: "user-1" } });
    expect(await db.passkey.count()).toBe(0); // onDelete: Cascade
  } finally {
    await db.$disconnect();
  }
}

describe("committed migrations, applied by the Prisma CLI", () => {
  describe("SQLite", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), "passkeys-migrations-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("are reported pending on an empty database", { timeout: CLI_TIMEOUT_MS }, async () => {
      const file = path.join(dir, "empty.db");
      writeFileSync(file, ""); // an empty file is an empty SQLite database
      await expectPendingMigrations(`file:${file}`);
    });

    it("create, migrate, reset and serve a new database", { timeout: 6 * CLI_TIMEOUT_MS }, async () => {
      await expectMigrationsToWork("sqlite", `file:${path.join(dir, "new.db")}`);
    });
  });

  describe.skipIf(!TEST_POSTGRES_URL)("PostgreSQL", () => {
    const databaseUrls: string[] = [];
    const newDatabaseUrl = () => {
      const url = uniquePostgresDatabaseUrl();
      databaseUrls.push(url);
      return url;
    };
    afterAll(async () => {
      for (const url of databaseUrls) await dropPostgresDatabase(url);
    });

    it("are reported pending on an empty database", { timeout: CLI_TIMEOUT_MS }, async () => {
      const databaseUrl = newDatabaseUrl();
      await createPostgresDatabase(databaseUrl);
      await expectPendingMigrations(databaseUrl);
    });

    it("create, migrate, reset and serve a new database", { timeout: 6 * CLI_TIMEOUT_MS }, async () => {
      await expectMigrationsToWork("postgresql", newDatabaseUrl());
    });
  });
});
