#!/usr/bin/env node
// Runs the real Prisma CLI, offline: `node scripts/prisma.mjs <prisma arguments>`, e.g.
//   node scripts/prisma.mjs generate
//   node scripts/prisma.mjs migrate deploy
//   node scripts/prisma.mjs migrate dev --name add_something
//
// Before handing over to node_modules/prisma, it
//   - loads .env (if present; variables already set win), checks DATABASE_URL (unset means the
//     SQLite file data/dev.db: lib/database-url.mjs decides) and creates an SQLite file's folder;
//   - copies prisma/models.prisma into prisma/sqlite/ and prisma/postgresql/, so the two schemas
//     (one per provider, a Prisma rule) can never drift;
//   - points PRISMA_SCHEMA_ENGINE_BINARY at scripts/prisma-schema-engine.mjs, which stands in for
//     the native schema engine the CLI would otherwise download, and turns off the update check
//     and telemetry (no network here).
// prisma.config.ts picks the provider folder from DATABASE_URL. `generate` without `--schema` runs
// once per provider: the app chooses its client at run time, so both must exist.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { databaseFromEnv, PROJECT_ROOT as ROOT } from "../lib/database-url.mjs";

const PROVIDERS = ["sqlite", "postgresql"];

function loadEnvironment() {
  const envFile = path.join(ROOT, ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const database = databaseFromEnv();
  // SQLite creates the database file, but not its folder.
  if (database.provider === "sqlite") mkdirSync(path.dirname(database.file), { recursive: true });
}

function copyModelsIntoProviderFolders() {
  const models = readFileSync(path.join(ROOT, "prisma", "models.prisma"), "utf8");
  const copy = `// Copied from prisma/models.prisma by scripts/prisma.mjs before every Prisma command: edit that file.\n\n${models}`;
  for (const provider of PROVIDERS) {
    const target = path.join(ROOT, "prisma", provider, "models.prisma");
    if (!existsSync(target) || readFileSync(target, "utf8") !== copy) writeFileSync(target, copy);
  }
}

function runPrisma(args) {
  const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: path.join(ROOT, "scripts", "prisma-schema-engine.mjs"),
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function main(args) {
  loadEnvironment();
  copyModelsIntoProviderFolders();

  const generatesEveryClient = args[0] === "generate" && !args.some((arg) => arg === "--schema" || arg.startsWith("--schema="));
  if (!generatesEveryClient) return runPrisma(args);

  for (const provider of PROVIDERS) {
    const status = runPrisma([...args, "--schema", `prisma/${provider}`]);
    if (status !== 0) return status;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  // A bad DATABASE_URL stops us before the CLI starts: its message says what to fix, no stack needed.
  console.error(`scripts/prisma.mjs: ${error.message}`);
  process.exitCode = 1;
}
