// What the operator CLIs (apikey:*, db:cleanup, keys:*) share: DATABASE_URL and the rest from the
// environment or .env (variables already set win, as with Next and the Prisma CLI), the vault's
// framework-free TypeScript loaded with jiti, one database client, disconnected at the end, and an
// exit status.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createJiti } from "jiti";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const envFile = path.join(ROOT, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const jiti = createJiti(import.meta.url);

/** Imports a TypeScript module of the project (path relative to the project root). */
export function importTs(relativePath) {
  return jiti.import(path.join(ROOT, relativePath));
}

/**
 * Runs `main(db)` and exits with its status (1 on an error, logged). Against the direct URL where
 * the host gives one (DIRECT_URL or DATABASE_URL_UNPOOLED, as migrations): a one-off process needs
 * no pooler. Otherwise DATABASE_URL.
 */
export async function runWithDb(main) {
  const { migrationDatabaseFromEnv } = await import("../lib/database-url.mjs");
  const { createDb } = await importTs("lib/db-client.ts");
  const db = createDb(migrationDatabaseFromEnv().url);
  let status = 1;
  try {
    status = await main(db);
  } catch (error) {
    // Typed vault errors and the operator's own mistakes have a readable message; anything else in full.
    const readable = error?.tag || ["ConfigurationError", "RotationInProgressError"].includes(error?.name);
    console.error(readable ? error.message : error);
  } finally {
    await db.$disconnect();
  }
  process.exit(status);
}
