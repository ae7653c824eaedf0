// Direct access to the e2e server's database, for tests that change data behind the app's back
// (as another session or an administrator would). SQLite by default, PostgreSQL when the suite
// runs with E2E_DATABASE_URL (scripts/test.mjs does, when TEST_POSTGRES_URL is set).
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseUrl } from "../../lib/database-url.mjs";

/** The e2e server's database (playwright.config.ts hands its URL to the server as DATABASE_URL). */
export const E2E_DATABASE = parseDatabaseUrl(process.env.E2E_DATABASE_URL || "file:./data/e2e.db", "E2E_DATABASE_URL");

/**
 * Where the app under test listens: port 3100 unless E2E_PORT says otherwise (two checkouts on one
 * machine, each with its own server; with reuseExistingServer they would otherwise share one).
 */
export const E2E_ORIGIN = `http://localhost:${process.env.E2E_PORT || "3100"}`;

/**
 * Runs one parameterised statement; `?` placeholders in SQLite become $1, $2… for PostgreSQL.
 * Returns the rows it selected (if any) and how many rows it changed.
 */
async function run(sql: string, params: string[]): Promise<{ rows: Record<string, unknown>[]; changes: number }> {
  if (E2E_DATABASE.provider === "sqlite") {
    const db = new Database(E2E_DATABASE.file);
    try {
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[], changes: 0 };
      return { rows: [], changes: statement.run(...params).changes };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: E2E_DATABASE.url });
  await client.connect();
  try {
    let n = 0;
    const result = await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
    return { rows: result.rows, changes: result.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}

const execute = async (sql: string, params: string[]) => (await run(sql, params)).changes;

/** What the database holds for the account with this email: to check that an attack changed nothing. */
export async function snapshotOf(email: string) {
  const user = `(SELECT id FROM users WHERE email = ?)`;
  const [users, passkeys, sessions] = await Promise.all([
    run(`SELECT id, email, "displayName" FROM users WHERE email = ?`, [email]),
    run(`SELECT id, name FROM passkeys WHERE "userId" = ${user} ORDER BY id`, [email]),
    run(`SELECT id FROM sessions WHERE "userId" = ${user} AND "revokedAt" IS NULL ORDER BY id`, [email]),
  ]);
  return {
    user: users.rows[0] as { id: string; email: string; displayName: string } | undefined,
    passkeys: passkeys.rows as { id: string; name: string }[],
    liveSessions: sessions.rows.map((row) => row.id as string),
  };
}

/** Deletes every passkey of the account with this email; returns how many there were. */
export function deletePasskeysOf(email: string): Promise<number> {
  return execute(`DELETE FROM passkeys WHERE "userId" = (SELECT id FROM users WHERE email = ?)`, [email]);
}

/**
 * Makes every live session of this account look as if it signed in `minutes` ago, so the next
 * sensitive change needs step-up (the window is 5 minutes).
 */
export function ageSessionsOf(email: string, minutes = 10): Promise<number> {
  const authTime = new Date(Date.now() - minutes * 60_000);
  // Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset.
  const iso = authTime.toISOString();
  const value = E2E_DATABASE.provider === "sqlite" ? iso.replace("Z", "+00:00") : iso;
  return execute(`UPDATE sessions SET "authTime" = ? WHERE "userId" = (SELECT id FROM users WHERE email = ?)`, [value, email]);
}

/**
 * Makes the database refuse every change to the sessions table until the returned function is
 * called, as a database failing part-way would: for tests of what the app does then.
 */
export async function failSessionWrites(): Promise<() => Promise<void>> {
  if (E2E_DATABASE.provider === "sqlite") {
    await execute(`CREATE TRIGGER e2e_fail_session_update BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, []);
    return async () => void (await execute(`DROP TRIGGER IF EXISTS e2e_fail_session_update`, []));
  }
  await execute(`CREATE OR REPLACE FUNCTION e2e_fail_session_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`, []);
  await execute(`CREATE TRIGGER e2e_fail_session_update BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION e2e_fail_session_update()`, []);
  return async () => {
    await execute(`DROP TRIGGER IF EXISTS e2e_fail_session_update ON sessions`, []);
    await execute(`DROP FUNCTION IF EXISTS e2e_fail_session_update()`, []);
  };
}

/** Makes one sign-in code (found by its hash, as the app stores it) expired, as if 2 minutes had passed. */
export function expireCode(code: string): Promise<number> {
  const hash = createHash("sha256").update(code).digest("base64url");
  const iso = new Date(Date.now() - 1000).toISOString();
  const value = E2E_DATABASE.provider === "sqlite" ? iso.replace("Z", "+00:00") : iso;
  return execute(`UPDATE codes SET "expiresAt" = ? WHERE "codeHash" = ?`, [value, hash]);
}
