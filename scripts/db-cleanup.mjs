#!/usr/bin/env node
// npm run db:cleanup: deletes expired challenges, codes and email codes, ended sessions, finished
// rate-limit windows and security events past their retention, then prints how many of each. The
// same purge as the scheduled route (app/api/cron/cleanup) and lib/vault/housekeeping.ts; run it
// from any scheduler (cron, a CI schedule) where Vercel's cron is not available. Safe to repeat.
import { importTs, runWithDb } from "./operator-cli.mjs";

const { loadVaultConfig } = await importTs("lib/vault/config.ts");
const { purgeExpired } = await importTs("lib/vault/housekeeping.ts");

await runWithDb(async (db) => {
  const deleted = await purgeExpired(db, loadVaultConfig(process.env));
  const total = Object.values(deleted).reduce((sum, count) => sum + count, 0);
  console.log(`Deleted ${total} expired rows: ${Object.entries(deleted).map(([table, count]) => `${table} ${count}`).join(", ")}.`);
  return 0;
});
