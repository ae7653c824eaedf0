#!/usr/bin/env node
// First-run set-up, safe to repeat: writes .env with a freshly generated AUTH_SECRET and
// NEXTAUTH_SECRET when there is none (secrets are never committed), then applies database
// migrations. `npm run dev` and `npm start` run it first, so a fresh clone needs no configuration.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const newSecret = () => randomBytes(32).toString("base64url");

if (!existsSync(".env")) {
  const template = readFileSync(".env.example", "utf8");
  const env = template
    .replace(/^AUTH_SECRET=.*$/m, `AUTH_SECRET=${newSecret()}`)
    .replace(/^NEXTAUTH_SECRET=.*$/m, `NEXTAUTH_SECRET=${newSecret()}`);
  writeFileSync(".env", env, { mode: 0o600 });
  console.log("setup: wrote .env with a new AUTH_SECRET (keep it secret; it encrypts the signing keys) and NEXTAUTH_SECRET");
} else if (!process.env.NEXTAUTH_SECRET) {
  // A .env from before the next-auth integration: give it its own secret, leave everything else.
  const env = readFileSync(".env", "utf8");
  if (/^NEXTAUTH_SECRET=[ \t]*$/m.test(env)) {
    writeFileSync(".env", env.replace(/^NEXTAUTH_SECRET=[ \t]*$/m, `NEXTAUTH_SECRET=${newSecret()}`));
    console.log("setup: added a new NEXTAUTH_SECRET to .env");
  } else if (!/^NEXTAUTH_SECRET=/m.test(env)) {
    appendFileSync(".env", `${env.endsWith("\n") ? "" : "\n"}# next-auth's session encryption (see .env.example)\nNEXTAUTH_SECRET=${newSecret()}\n`);
    console.log("setup: added a new NEXTAUTH_SECRET to .env");
  }
}

const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "inherit" });
process.exit(migrate.status ?? 1);
