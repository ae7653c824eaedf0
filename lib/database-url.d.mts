// Types for database-url.mjs, so that TypeScript can import it (allowJs is off).

export type DatabaseProvider = "sqlite" | "postgresql";

export type Database =
  /** `file` is the absolute path of the SQLite database file. */
  | { provider: "sqlite"; url: string; file: string }
  | { provider: "postgresql"; url: string };

export const DEFAULT_DATABASE_URL: string;
export const PROJECT_ROOT: string;
export function databaseFromEnv(env?: Record<string, string | undefined>): Database;
export function migrationDatabaseFromEnv(env?: Record<string, string | undefined>): Database;
export function parseDatabaseUrl(url: string, variable?: string): Database;
