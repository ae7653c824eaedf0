import "server-only";

import { createDb, type Db } from "./db-client";
import { databaseFromEnv } from "./database-url.mjs";

// The app's database client: one per process, for DATABASE_URL. `server-only` keeps it (and the
// connection string behind it) out of browser bundles. The framework-free half (createDb, the Db
// type, the provider choice) is lib/db-client.ts, which plain-Node scripts and tests import.
export { createDb, isUniqueViolation, type Db } from "./db-client";

// Next's dev server re-evaluates modules on every change; keeping the client on globalThis stops
// each reload from opening another pool / SQLite handle.
const globalForDb = globalThis as typeof globalThis & { passkeyDb?: Db };

/** The process-wide client for DATABASE_URL. */
export function getDb(): Db {
  return (globalForDb.passkeyDb ??= createDb(databaseFromEnv().url));
}
