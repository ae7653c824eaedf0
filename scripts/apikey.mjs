#!/usr/bin/env node
// API keys for relying backends (the principal API, POST /api/passkey/principal):
//
//   npm run apikey:create -- <name>    creates a key and prints it ONCE (only its hash is stored)
//   npm run apikey:revoke -- <id>      revokes it at once
//   npm run apikey:list                ids, names, created, last used, revoked (never the keys)
//
// Against DATABASE_URL (from the environment or .env; SQLite or PostgreSQL, as the app; its direct
// URL where the host gives one), through the operator CLIs' runner (scripts/operator-cli.mjs). Plain Node: lib/vault/api-keys.ts is
// framework-free TypeScript, loaded with jiti (the TypeScript loader Prisma's own CLI uses for
// prisma.config.ts), so the CLI runs the same code as the app, with no build step and no Next.js.
import { importTs, runWithDb } from "./operator-cli.mjs";

const keys = await importTs("lib/vault/api-keys.ts");

const [command, ...args] = process.argv.slice(2);
const usage = "Usage: npm run apikey:create -- <name> | npm run apikey:revoke -- <id> | npm run apikey:list";

async function main(db) {
  switch (command) {
    case "create": {
      const name = args.join(" ");
      if (!name.trim()) return fail(usage);
      const { id, key } = await keys.createApiKey(db, name);
      console.log(`Created API key ${id} for "${name.trim()}".`);
      console.log(`Key (shown once, store it in the backend's secrets now):\n${key}`);
      return 0;
    }
    case "revoke": {
      if (args.length !== 1) return fail(usage);
      if (!(await keys.revokeApiKey(db, args[0]))) return fail(`No live API key with id ${args[0]}.`);
      console.log(`Revoked API key ${args[0]}.`);
      return 0;
    }
    case "list": {
      for (const key of await keys.listApiKeys(db)) {
        const when = (date) => (date ? date.toISOString() : "-");
        console.log(`${key.id}  ${key.revokedAt ? "revoked " + when(key.revokedAt) : "live"}  created ${when(key.createdAt)}  last used ${when(key.lastUsedAt)}  ${key.name}`);
      }
      return 0;
    }
    default:
      return fail(usage);
  }
}

function fail(message) {
  console.error(message);
  return 1;
}

// Never the key in an error: it exists only in `main`'s output above.
await runWithDb(main);
