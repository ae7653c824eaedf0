// Prisma CLI configuration. Run the CLI through `node scripts/prisma.mjs` (or `npm run prisma --`),
// which loads .env, copies prisma/models.prisma into both provider folders and makes the CLI work
// offline.
//
// One schema folder per provider (a Prisma schema has exactly one), picked from DATABASE_URL by
// lib/database-url.mjs, the module lib/db.ts picks the client with.
import { defineConfig } from "prisma/config";
import { migrationDatabaseFromEnv } from "./lib/database-url.mjs";

// The direct URL where the host gives one (DIRECT_URL or DATABASE_URL_UNPOOLED): migrations must
// not go through a transaction-mode pooler. The app itself uses DATABASE_URL (lib/db.ts).
const database = migrationDatabaseFromEnv();

export default defineConfig({
  schema: `prisma/${database.provider}`,
  migrations: { path: `prisma/${database.provider}/migrations` },
  // SQLite as an absolute file: URL, so the CLI cannot resolve a relative path any other way.
  datasource: { url: database.provider === "sqlite" ? `file:${database.file}` : database.url },
});
