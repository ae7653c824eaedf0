#!/usr/bin/env node
// First-run set-up, safe to repeat: writes .env with a freshly generated AUTH_SECRET when there is
// none (secrets are never committed), then applies database migrations. `npm run dev` and
// `npm start` run it first, so a fresh clone needs no configuration.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

if (!existsSync(".env")) {
  const secret = randomBytes(32).toString("base64url");
  const template = readFileSync(".env.example", "utf8");
  writeFileSync(".env", template.replace(/^AUTH_SECRET=.*$/m, `AUTH_SECRET=${secret}`), { mode: 0o600 });
  console.log("setup: wrote .env with a new AUTH_SECRET (keep it secret; it encrypts the signing keys)");
}

const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "inherit" });
process.exit(migrate.status ?? 1);
