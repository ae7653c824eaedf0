import { databaseFromEnv } from "./database-url.mjs";
import { ConfigurationError, loadRateLimitConfig, loadVaultConfig } from "./vault/config";

type Env = Record<string, string | undefined>;

/**
 * Every setting the app reads, checked at once when the server starts (instrumentation.ts), so a
 * deployment missing one fails at its first start with the reason in the log, instead of at some
 * later request, and never runs on a default unfit for production. In production: AUTH_SECRET, an
 * explicit DATABASE_URL (PostgreSQL on Vercel), and an https origin (APP_ORIGIN, or on Vercel the
 * deployment's URL). Framework-free, so it is tested as a function. Throws a ConfigurationError,
 * whose message names the variable and never repeats a secret.
 */
export function checkDeployment(env: Env = process.env): void {
  if (env.NODE_ENV === "production" && !env.DATABASE_URL) {
    throw new ConfigurationError(
      "DATABASE_URL must be set in production: a PostgreSQL URL (postgresql://…), or file:… for an SQLite file on a server with a persistent disk",
    );
  }
  try {
    databaseFromEnv(env);
  } catch (error) {
    throw new ConfigurationError((error as Error).message);
  }
  loadVaultConfig(env);
  loadRateLimitConfig(env);
}
