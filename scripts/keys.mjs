#!/usr/bin/env node
// JWT signing keys (lib/vault/keys.ts):
//
//   npm run keys:rotate   a new key, published in the JWKS now, signing once every cache has it
//                         (KEY_PUBLISH_DELAY_SECONDS); the current key retires then and stays
//                         published until every token it signed has expired
//   npm run keys:list     every key: upcoming, signing or retired, and when it leaves the JWKS
//
// Against DATABASE_URL with AUTH_SECRET (it encrypts the new private key) and JWT_ALGORITHM (the new
// key's algorithm) from the environment or .env, as the app. Nothing needs restarting: running
// servers pick the new key up within a minute of its start. Both also delete retired keys whose
// tokens have all expired (as the scheduled cleanup does). Private keys are never printed.
import { importTs, runWithDb } from "./operator-cli.mjs";

const { loadVaultConfig } = await importTs("lib/vault/config.ts");
const keys = await importTs("lib/vault/keys.ts");

const [command, ...args] = process.argv.slice(2);
const usage = "Usage: npm run keys:rotate | npm run keys:list";

await runWithDb(async (db) => {
  if (args.length > 0 || (command !== "rotate" && command !== "list")) {
    console.error(usage);
    return 1;
  }
  const config = loadVaultConfig(process.env);
  if (command === "rotate") {
    const key = await keys.rotateSigningKey(db, config);
    const wait = Math.round((key.activatesAt.getTime() - Date.now()) / 1000);
    console.log(
      wait > 0
        ? `Key ${key.kid} (${key.alg}) is published now and signs from ${key.activatesAt.toISOString()} (in ${wait} s).`
        : `Key ${key.kid} (${key.alg}) signs from now (there was no signing key).`,
    );
  }
  const deleted = await keys.deleteExpiredSigningKeys(db, config);
  if (deleted) console.log(`Deleted ${deleted} retired key(s) whose tokens have all expired.`);
  for (const key of await keys.listSigningKeys(db, config)) {
    const until = key.unpublishedAt ? `  published until ${key.unpublishedAt.toISOString()}` : "";
    console.log(`${key.kid}  ${key.alg}  ${key.state.padEnd(8)}  from ${key.activatesAt.toISOString()}${until}`);
  }
  return 0;
});
