// Prisma CLI configuration. Run the CLI through `node scripts/prisma.mjs` (or `npm run prisma --`),
// which loads .env, copies prisma/models.prisma into both provider folders and makes the CLI work
// offline.
//
// One schema folder per provider (a Prisma schema has exactly one), picked from DATABASE_URL the
// same way lib/db.ts picks the client: postgres:// or postgresql:// is PostgreSQL, anything else
// an SQLite file.
import { defineConfig } from "prisma/config";

const databaseUrl = process.env.DATABASE_URL || "file:./data/dev.db";
const provider = /^postgres(ql)?:\/\//i.test(databaseUrl) ? "postgresql" : "sqlite";

export default defineConfig({
  schema: `prisma/${provider}`,
  migrations: { path: `prisma/${provider}/migrations` },
  datasource: { url: databaseUrl },
});
