import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresPrismaClient } from "../generated/postgresql/client";
import { Prisma, PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client";
import { parseDatabaseUrl } from "./database-url.mjs";

// The database client, framework-free: no `server-only`, no Next.js, so plain-Node scripts (the
// API-key CLIs in scripts/) and tests use it as the app does. lib/db.ts adds the app's process-wide
// instance, as lib/vault/instance.ts does for the vault.
//
// One data model (prisma/models.prisma), two generated clients: Prisma
// generates one client per provider (`node scripts/prisma.mjs generate` makes both), and the
// provider is chosen at run time from DATABASE_URL by lib/database-url.mjs: postgres:// or
// postgresql:// is PostgreSQL, file: an SQLite file (default: file:./data/dev.db).

/**
 * The Prisma client type the app codes against: the SQLite client's. The PostgreSQL client built
 * from the same models has the same model API (models, fields, result types, methods), since the
 * models use no enums, lists or native database types. Where the two differ, the PostgreSQL one
 * only accepts more: `mode: "insensitive"` filters, field references in `in`, `skipDuplicates`
 * in `createMany`, and every `$transaction` isolation level where SQLite has only "Serializable".
 * So code written against this type runs on both, and `createDb` casts the PostgreSQL client to
 * it: TypeScript cannot relate the two separately generated classes' overloaded generic methods
 * by itself (it gives up at `$transaction`'s options). Behaviour can still differ, e.g.
 * `contains`/`startsWith` ignore ASCII case on SQLite only.
 */
export type Db = SqlitePrismaClient;

/** The client an interactive transaction's callback gets: `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * The PostgreSQL pool of one process. On a serverless platform every instance has its own pool and
 * they share the database's connection limit, so: few connections per instance (and DATABASE_URL
 * pointing at the provider's pooler, e.g. Neon's `-pooler` host), released soon when idle (an
 * instance frozen between requests must not sit on them), and a bounded wait for one, so an
 * exhausted database is a 503 rather than a hung request. DATABASE_POOL_MAX overrides the size.
 */
export function postgresPoolOptions(env: Record<string, string | undefined> = process.env) {
  const serverless = env.VERCEL === "1";
  const max = Number(env.DATABASE_POOL_MAX) || (serverless ? 5 : 10);
  return { max, idleTimeoutMillis: serverless ? 5_000 : 30_000, connectionTimeoutMillis: 10_000 };
}

/**
 * The SQLite driver (better-sqlite3, a native module) is imported on the first query, so a
 * deployment on PostgreSQL never loads it (on Vercel it would be a native binary for nothing).
 *
 * Every connection runs in write-ahead-log mode with `synchronous = NORMAL`: a commit appends to
 * the log instead of syncing a rollback journal and the database file (measured here: ~0.7 ms of
 * blocked event loop per commit in the default mode, ~0.014 ms in this one). Readers no longer wait
 * for a writer, and a commit is still atomic and durable across a crash of the app; only an
 * operating-system crash or power loss can lose the last commits (never corrupt the file). WAL is
 * kept in the database file; `synchronous` is per connection, so both are set on each one.
 */
function lazySqliteAdapter(file: string): SqlDriverAdapterFactory {
  return {
    provider: "sqlite",
    adapterName: "@prisma/adapter-better-sqlite3",
    async connect() {
      const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
      const adapter = await new PrismaBetterSqlite3({ url: file }).connect();
      await adapter.executeScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      return adapter;
    },
  };
}

/** A new client (with its own connections) for the database at `databaseUrl`. */
export function createDb(databaseUrl: string): Db {
  const database = parseDatabaseUrl(databaseUrl);
  if (database.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: database.url, ...postgresPoolOptions() });
    return new PostgresPrismaClient({ adapter }) as unknown as Db;
  }
  return new SqlitePrismaClient({ adapter: lazySqliteAdapter(database.file) });
}

/**
 * True for a unique-constraint violation (Prisma error P2002), e.g. a credential id or email that
 * is already registered. Both generated clients throw the same runtime error class, whichever the
 * driver adapter.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
