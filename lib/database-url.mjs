// Which database DATABASE_URL names, decided in one place. The app (lib/db.ts), the Prisma CLI
// (prisma.config.ts, scripts/prisma.mjs and its schema-engine bridge), the test and e2e set-up all
// import this module, so they cannot disagree about the default, the provider or the file.
//
// Plain JavaScript with its types in database-url.d.mts, because plain `node scripts/*.mjs` imports
// it as well as TypeScript (Next's build, Vitest, Playwright, prisma.config.ts). No dependencies
// beyond Node's own modules, so it loads the same everywhere; for the same reason it does not
// import "server-only" (which throws outside Next's server build). It holds no secrets: lib/db.ts,
// which does import "server-only", is the app's way in.
//
//   file:./data/dev.db                  → { provider: "sqlite", url, file: "<project>/data/dev.db" }
//   postgresql://user@host:5432/app     → { provider: "postgresql", url }   (postgres:// too)

import path from "node:path";
import { fileURLToPath } from "node:url";

/** The default: an SQLite file in the project, so a fresh clone runs with no configuration. */
export const DEFAULT_DATABASE_URL = "file:./data/dev.db";

/**
 * The project root (the folder above lib/). Relative `file:` paths resolve against it rather than
 * the working directory, so `next dev`, the Prisma CLI and the tests open the same file wherever
 * they were started from.
 */
export const PROJECT_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The database named by DATABASE_URL in `env`, or the default SQLite file when it is unset or
 * empty (as in a fresh .env copied from .env.example with the value removed). On Vercel
 * (VERCEL=1) only PostgreSQL: a function's file system is read-only and its own, so an SQLite file
 * there would be lost, or not writable at all. Refused at build (the Prisma CLI asks here too) and
 * at start.
 */
export function databaseFromEnv(env = process.env) {
  const database = parseDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL, "DATABASE_URL");
  if (env.VERCEL === "1" && database.provider !== "postgresql") {
    throw new Error(
      `DATABASE_URL must be a PostgreSQL URL on Vercel (${env.DATABASE_URL ? "it names an SQLite file" : "it is not set"}): ` +
        "add a Neon or other Postgres database to the project, which sets it, or set it yourself.",
    );
  }
  return database;
}

/**
 * The database the Prisma CLI (migrations) connects to. Hosted PostgreSQL often gives two URLs: a
 * pooled one for the app (DATABASE_URL, through PgBouncer or Neon's `-pooler` host, so that many
 * serverless instances share few connections) and a direct one for migrations, which a
 * transaction-mode pooler can break (the migration engine holds a session-level advisory lock).
 * DIRECT_URL, else DATABASE_URL_UNPOOLED (the name Neon's Vercel integration sets), else
 * DATABASE_URL itself. SQLite has one file, whatever is set.
 */
export function migrationDatabaseFromEnv(env = process.env) {
  const database = databaseFromEnv(env);
  const variable = env.DIRECT_URL ? "DIRECT_URL" : env.DATABASE_URL_UNPOOLED ? "DATABASE_URL_UNPOOLED" : null;
  if (database.provider !== "postgresql" || !variable) return database;
  const direct = parseDatabaseUrl(env[variable], variable);
  if (direct.provider !== "postgresql") throw invalid(variable, "must be a PostgreSQL URL, as DATABASE_URL is");
  return direct;
}

/**
 * Parses a database URL: `file:<path>` is an SQLite file (a relative path is relative to the
 * project root; a `?query` is ignored), `postgres://` or `postgresql://` (any case) is PostgreSQL.
 * Anything else throws an error naming `variable`, the setting the URL came from. The message
 * never repeats the URL itself: it may hold a password.
 */
export function parseDatabaseUrl(url, variable = "DATABASE_URL") {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "file") {
    const location = url.slice("file:".length).replace(/\?.*$/s, "");
    if (location === "") throw invalid(variable, "is `file:` with no path");
    // turbopackIgnore: the path comes from the environment at run time; without it, Next's build
    // would try to trace every file the expression could name, i.e. the whole project.
    return { provider: "sqlite", url, file: path.resolve(/*turbopackIgnore: true*/ PROJECT_ROOT, location) };
  }
  if (scheme === "postgres" || scheme === "postgresql") {
    if (!URL.canParse(url)) throw invalid(variable, "is not a valid PostgreSQL URL");
    return { provider: "postgresql", url };
  }
  throw invalid(variable, scheme ? `has the unsupported scheme \`${scheme}:\`` : "is not a URL");
}

function invalid(variable, problem) {
  return new Error(
    `${variable} ${problem}. Use an SQLite file (file:./data/dev.db) or a PostgreSQL URL ` +
      `(postgresql://user:password@host:5432/database).`,
  );
}
