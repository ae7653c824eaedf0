#!/usr/bin/env node
// `npm run bench`: builds the app, serves it with `next start` on a fresh SQLite database (and on
// PostgreSQL when BENCH_POSTGRES_URL is set), drives it from a separate process (bench/client.mjs)
// over loopback with software authenticators, prints a table and writes bench/results.json.
// With BENCH_PEER=better-auth, the same sign-in and registration also run against a minimal
// Better Auth + passkey app (bench/peer/, installed and built on demand), in alternating rounds.
//
// Environment: BENCH_SHORT=1 (seconds instead of minutes: proves it works, measures little),
// BENCH_POSTGRES_URL, BENCH_PEER=better-auth, BENCH_PORT (default 3400; the peer uses +10, the
// blank page of the first-load JS figures +20), BENCH_SKIP_BUILD=1 (reuse .next, and the peer's and
// blank page's builds), BENCH_CPU_PROF=1 (the app server runs with node --cpu-prof,
// profiles in bench/profiles/), BENCH_ONLY=signin,register,page,anatomy,crypto,size,peer (a subset),
// BENCH_BASELINE=<git ref> (that commit too, built in a temporary folder and driven in alternating
// rounds with this one: same-run before/after ratios for an optimisation).
// No timing is asserted anywhere: the figures depend on the machine.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { freshDatabase } from "../scripts/fresh-database.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PEER = path.join(ROOT, "bench", "peer");
const BLANK = path.join(ROOT, "bench", "blank");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const SHORT = process.env.BENCH_SHORT === "1";
const PORT = Number(process.env.BENCH_PORT || 3400);
const PEER_PORT = PORT + 10;
const BLANK_PORT = PORT + 20;
const ONLY = new Set((process.env.BENCH_ONLY || "signin,register,page,anatomy,crypto,size,peer").split(","));
const PEER_NAME = process.env.BENCH_PEER || "";
if (PEER_NAME && PEER_NAME !== "better-auth") throw new Error(`BENCH_PEER: only "better-auth" is known, not "${PEER_NAME}"`);

/** Seconds measured per phase, uncounted warm-up before each, rounds of the alternating comparisons. */
const TIMING = SHORT ? { seconds: 1.5, warmupSeconds: 0.5, rounds: 1 } : { seconds: 5, warmupSeconds: 1.5, rounds: 4 };
const MANY = 32;
const PAGE_CLIENTS = 16;
const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

const log = (line) => process.stderr.write(`bench: ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
}

// --- Servers ------------------------------------------------------------------------------------

/** Limits far above what the benchmark reaches: every request is still counted (its cost is real), none refused. */
const RATE_LIMITS = Object.fromEntries(
  ["CHALLENGES", "VERIFICATIONS", "CODE_EXCHANGES", "EMAIL_LOOKUPS", "PER_EMAIL", "PER_ACCOUNT"].map((rule) => [
    `RATE_LIMIT_${rule}`,
    "100000000/60",
  ]),
);

function appEnv(databaseUrl, port = PORT) {
  return {
    DATABASE_URL: databaseUrl,
    APP_ORIGIN: `http://localhost:${port}`,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    // Each simulated client has its own address (bench/client.ts), as real visitors do.
    TRUSTED_CLIENT_IP_HEADER: "x-bench-client",
    // Sign-up mails its confirmation code: delivered to a throwaway outbox, as a configured
    // deployment delivers it over SMTP (without either, every sign-up logs a refused send).
    MAIL_OUTBOX: "1",
    MAIL_OUTBOX_DIR: path.join(os.tmpdir(), `passkeys-bench-outbox-${port}`),
    ...RATE_LIMITS,
  };
}

async function waitFor(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server at ${url} exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server at ${url} did not answer within 60 s`);
}

const servers = [];

/** Refuses a port something already listens on: the run would otherwise measure that server. */
async function assertPortFree(port) {
  const inUse = await new Promise((resolve) => {
    const socket = net.connect({ host: "localhost", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
  if (inUse) throw new Error(`port ${port} is already in use by another process: stop it, or choose another port with BENCH_PORT`);
}

async function startServer({ name, cwd, port, env, profile = false, nextBin = path.join(cwd, "node_modules", "next", "dist", "bin", "next") }) {
  const args = [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(ROOT, "bench", "profiles")}`] : []), nextBin, "start", "-p", String(port)];
  const countsFile = path.join(os.tmpdir(), `passkeys-bench-counts-${port}.json`);
  rmSync(countsFile, { force: true });
  await assertPortFree(port);
  const child = spawn(process.execPath, ["--require", path.join(ROOT, "bench", "count-operations.cjs"), ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", BENCH_COUNTS_FILE: countsFile, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  servers.push(child);
  await waitFor(`http://localhost:${port}/`, child);
  log(`${name} listening on http://localhost:${port} (pid ${child.pid})`);
  child.countsFile = countsFile;
  return child;
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

async function startApp(databaseUrl, { cwd = ROOT, port = PORT, name = "app" } = {}) {
  // Only bench_* PostgreSQL databases are ever dropped.
  await freshDatabase(databaseUrl, /^bench_[a-z0-9_]+$/);
  const env = appEnv(databaseUrl, port);
  rmSync(env.MAIL_OUTBOX_DIR, { recursive: true, force: true });
  run(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const child = await startServer({ name: `${name} (${databaseUrl.split(":")[0]})`, cwd, port, env, profile: process.env.BENCH_CPU_PROF === "1" });
  return { child, env, databaseUrl, origin: env.APP_ORIGIN, nextDir: path.join(cwd, ".next") };
}

/**
 * BENCH_BASELINE: the app at another commit, exported (git archive) to a temporary folder with
 * hard links to this node_modules, built there, and served next to this one.
 */
async function startBaseline(ref) {
  const dir = path.join(os.tmpdir(), `passkeys-bench-baseline-${PORT}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "data"), { recursive: true });
  const archive = spawnSync("git", ["archive", "--format=tar", ref], { cwd: ROOT, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`BENCH_BASELINE: git archive ${ref} failed: ${archive.stderr}`);
  run("tar", ["-x", "-C", dir], { input: archive.stdout, stdio: ["pipe", "inherit", "inherit"] });
  run("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  run(process.execPath, ["scripts/prisma.mjs", "generate"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  log(`building the baseline ${ref} in ${dir}`);
  // Its own copy of next (the hard links), so the build and the server resolve one React.
  run(process.execPath, [path.join(dir, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  const server = await startApp(`file:${path.join(dir, "data", "bench.db")}`, { cwd: dir, port: PORT + 1, name: `baseline ${ref}` });
  return { ...server, dir };
}

/** `next build` in a side app (bench/peer, bench/blank) with the app's next, unless BENCH_SKIP_BUILD=1 and a build is there. */
function buildUnlessReused(dir, name, env = {}) {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(path.join(dir, ".next", "BUILD_ID"))) return;
  log(`building ${name}`);
  run(process.execPath, [NEXT_BIN, "build"], { cwd: dir, env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "ignore", "inherit"] });
}

async function startPeer() {
  if (!existsSync(path.join(PEER, "node_modules", "better-auth"))) {
    log("installing the Better Auth peer in bench/peer (its own package.json and lockfile)");
    run("npm", ["install", "--legacy-peer-deps", "--no-audit", "--no-fund"], { cwd: PEER });
  }
  const env = { PEER_ORIGIN: `http://localhost:${PEER_PORT}`, PEER_DATABASE: path.join(PEER, "peer.db") };
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(env.PEER_DATABASE + suffix, { force: true });
  buildUnlessReused(PEER, "the Better Auth peer", env);
  run(process.execPath, ["migrate.mjs"], { cwd: PEER, env: { ...process.env, ...env } });
  const child = await startServer({ name: "Better Auth peer", cwd: PEER, port: PEER_PORT, env, nextBin: NEXT_BIN });
  return { child, origin: env.PEER_ORIGIN };
}

// --- The load generator -------------------------------------------------------------------------

function client(command) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench", "client.mjs"), JSON.stringify(command)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      const line = output.trim().split("\n").at(-1);
      if (code !== 0 || !line) reject(new Error(`bench client ${command.kind ?? command.job?.scenario} failed (${code})`));
      else resolve(JSON.parse(line));
    });
  });
}

const job = (server, target, scenario, clients, extra = {}) => ({
  job: {
    target,
    origin: server.origin,
    scenario,
    clients,
    seconds: TIMING.seconds,
    warmupSeconds: TIMING.warmupSeconds,
    serverPid: server.child.pid,
    countsFile: server.child.countsFile,
    nextDir: server.nextDir ?? path.join(ROOT, ".next"),
    runId,
    ...extra,
  },
});

async function flows(server, target, scenario, clients) {
  const [result] = await client(job(server, target, scenario, clients));
  const perStep = Object.entries(result.serverCpuMsPerStep ?? {})
    .filter(([name]) => name !== "total" && name !== "authenticator")
    .map(([name, ms]) => `${name} ${ms}`)
    .join(", ");
  log(`${target} ${result.label}: ${result.perSecond}/s, ${result.errors} errors, server CPU ${result.serverCpuMsPerFlow} ms each${perStep ? ` (${perStep})` : ""}`);
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- First-load JS ------------------------------------------------------------------------------

/** Gzipped bytes of the scripts a page loads, read from the build folder that serves them. */
function gzipBytes(scripts, nextDir) {
  let total = 0;
  for (const src of scripts) {
    const file = path.join(nextDir, decodeURIComponent(src.replace(/^\/_next\//, "").split("?")[0]));
    total += gzipSync(readFileSync(file)).length;
  }
  return total;
}

/**
 * The baseline: a real blank App Router page (bench/blank: a root layout and an empty page), built
 * on demand with the app's own next and react, and served next to the app while its scripts are read.
 */
async function startBlankPage() {
  buildUnlessReused(BLANK, "the blank page (bench/blank)");
  return startServer({ name: "blank page", cwd: BLANK, port: BLANK_PORT, env: {}, nextBin: NEXT_BIN });
}

async function firstLoadJs(server) {
  const blankServer = await startBlankPage();
  let scripts;
  try {
    scripts = await client({ kind: "page-scripts", job: job(server, "app", "page", 1).job, blankOrigin: `http://localhost:${BLANK_PORT}` });
  } finally {
    await stopServer(blankServer);
  }
  const blank = gzipBytes(scripts.blank, path.join(BLANK, ".next"));
  const kB = (bytes) => round(bytes / 1000, 1);
  const pages = {};
  for (const page of ["/login", "/account"]) {
    const bytes = gzipBytes(scripts[page], path.join(ROOT, ".next"));
    pages[page] = { gzipKb: kB(bytes), overBlankKb: kB(bytes - blank), scripts: scripts[page].length };
  }
  return { blankGzipKb: kB(blank), pages };
}

// --- The run ------------------------------------------------------------------------------------

async function measureApp(databaseUrl, label) {
  const server = await startApp(databaseUrl);
  const results = { database: label };
  try {
    if (ONLY.has("register")) {
      results.register1 = await flows(server, "app", "register", 1);
      results.registerMany = await flows(server, "app", "register", MANY);
    }
    if (ONLY.has("signin")) {
      results.signIn1 = await flows(server, "app", "signin", 1);
      results.signInMany = await flows(server, "app", "signin", MANY);
    }
    if (label === "sqlite" && ONLY.has("page")) {
      const pages = await client(job(server, "app", "page", PAGE_CLIENTS, { paths: ["/account"], rounds: 1 }));
      const page = pages[0];
      const check = await client({ kind: "session-check", job: job(server, "app", "page", 1).job, databaseUrl, env: server.env });
      // The page's server CPU with and without the check (measured alone, in-process, same database).
      const pageCpuMs = page.serverCpuMsPerFlow;
      const checkMs = check.microseconds / 1000;
      results.protectedPage = {
        path: "/account",
        clients: PAGE_CLIENTS,
        perSecond: page.perSecond,
        errors: page.errors,
        steps: page.steps,
        serverCpuMsPerRequest: pageCpuMs,
        sessionCheckMs: round(checkMs, 3),
        jwtVerifyMs: round(check.verifyOnlyMicroseconds / 1000, 3),
        ratio: pageCpuMs ? round((pageCpuMs - checkMs) / pageCpuMs) : null,
      };
      log(`/account ×${PAGE_CLIENTS}: ${page.perSecond}/s, ${pageCpuMs} ms CPU each; the session check ${round(checkMs, 3)} ms`);
    }
    if (label === "sqlite" && ONLY.has("anatomy")) {
      results.signInAnatomy = await client({ kind: "request-costs", job: job(server, "app", "page", 1).job, rounds: SHORT ? 5 : 80 });
    }
    if (label === "sqlite" && ONLY.has("size")) results.firstLoadJs = await firstLoadJs(server);
  } finally {
    // The SQLite server stays up for the comparisons (main stops it).
    if (label !== "sqlite") await stopServer(server.child);
  }
  return { results, server };
}

/**
 * This app and another server (the Better Auth peer, or the app at BENCH_BASELINE) in alternating
 * rounds (ABBA), each scenario; the medians and their ratio (> 1: this app is faster).
 */
async function compare(app, other, otherTarget, scenarios) {
  const comparison = {};
  for (const [scenario, clients] of scenarios) {
    const rounds = { app: [], other: [] };
    for (let i = 0; i < TIMING.rounds; i++) {
      const order = i % 2 === 0 ? ["app", "other"] : ["other", "app"];
      for (const who of order) {
        const result = who === "app" ? await flows(app, "app", scenario, clients) : await flows(other, otherTarget, scenario, clients);
        rounds[who].push(result);
      }
    }
    const cpu = (list) => round(median(list.map((r) => r.serverCpuMsPerFlow ?? NaN)), 1);
    // Each round's two phases ran back to back, under the same outside load: their ratio is
    // steadier than a ratio of medians taken across rounds.
    const paired = (measure) => round(median(rounds.app.map((r, i) => measure(r, rounds.other[i]))));
    comparison[`${scenario}${clients === 1 ? "1" : "Many"}`] = {
      scenario,
      clients,
      appPerSecond: round(median(rounds.app.map((r) => r.perSecond)), 1),
      otherPerSecond: round(median(rounds.other.map((r) => r.perSecond)), 1),
      ratio: paired((app, other) => app.perSecond / other.perSecond),
      appServerCpuMs: cpu(rounds.app),
      otherServerCpuMs: cpu(rounds.other),
      cpuRatio: paired((app, other) => (other.serverCpuMsPerFlow ?? NaN) / (app.serverCpuMsPerFlow ?? NaN)),
      errors: { app: rounds.app.reduce((n, r) => n + r.errors, 0), other: rounds.other.reduce((n, r) => n + r.errors, 0) },
      rounds,
    };
  }
  return comparison;
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join("  ")).join("\n");
}

function report(results) {
  const lines = [];
  const flowRows = [["database", "flow", "clients", "per second", "errors", "server CPU ms", "p50 / p95 / p99 ms per step"]];
  for (const app of results.app) {
    for (const key of ["register1", "registerMany", "signIn1", "signInMany"]) {
      const r = app[key];
      if (!r) continue;
      const steps = Object.entries(r.steps).map(([name, s]) => `${name} ${s.p50}/${s.p95}/${s.p99}`).join("; ");
      flowRows.push([app.database, r.label.split(" ")[0], r.clients, r.perSecond, r.errors, r.serverCpuMsPerFlow ?? "-", steps]);
    }
  }
  if (flowRows.length > 1) lines.push(table(flowRows));
  const sqlite = results.app.find((a) => a.database === "sqlite");
  if (sqlite?.protectedPage) {
    const p = sqlite.protectedPage;
    lines.push(
      "",
      `protected page ${p.path} ×${p.clients}: ${p.perSecond}/s, ${p.serverCpuMsPerRequest} ms server CPU each, of which the session check ${p.sessionCheckMs} ms` +
        ` → ${p.ratio}× the same page without the check`,
    );
  }
  if (sqlite?.signInAnatomy) {
    const ms = sqlite.signInAnatomy;
    lines.push(
      "",
      table([
        ["signIn's answer taken apart (one request at a time)", "server CPU ms (median)"],
        ["a route handler (GET /.well-known/jwks.json): Next's floor", ms.routeHandler],
        ["the home page's React payload: the root layout and a light page", ms.homePayload],
        ["/account's React payload", ms.accountPayload],
        ["signIn with a refused code", ms.refusedSignIn],
        ["signIn + /account: the sign-in's last step", ms.signInAndAccount],
        ["→ the action's share (the last step − /account's payload)", round(ms.signInAndAccount - ms.accountPayload)],
        ["→ the account page's own work (/account's payload − the home page's)", round(ms.accountPayload - ms.homePayload)],
      ]),
    );
  }
  if (sqlite?.firstLoadJs) {
    const f = sqlite.firstLoadJs;
    lines.push("", `first-load JS (gzip): blank page ${f.blankGzipKb} kB; ` + Object.entries(f.pages).map(([page, s]) => `${page} ${s.gzipKb} kB (+${s.overBlankKb})`).join("; "));
  }
  if (results.crypto) {
    lines.push("", table([["crypto (bare Node loop)", "µs", "per second"], ...results.crypto.map((c) => [c.name, c.microseconds, c.perSecond])]));
  }
  for (const [key, name] of [["peer", "Better Auth"], ["baseline", `baseline ${process.env.BENCH_BASELINE}`]]) {
    if (!results[key]) continue;
    const rows = [[`vs ${name} (alternating rounds)`, "this app /s (median)", `${name} /s (median)`, "ratio (median of rounds)", "server CPU ms (this / other)", "CPU ratio (other / this)", "errors (this / other)"]];
    for (const c of Object.values(results[key])) {
      rows.push([`${c.scenario} ×${c.clients}`, c.appPerSecond, c.otherPerSecond, c.ratio, `${c.appServerCpuMs} / ${c.otherServerCpuMs}`, c.cpuRatio, `${c.errors.app} / ${c.errors.other}`]);
    }
    lines.push("", table(rows));
  }
  return lines.join("\n");
}

async function main() {
  const started = Date.now();
  if (process.env.BENCH_SKIP_BUILD !== "1" || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log("building the app (next build)");
    run(process.execPath, [NEXT_BIN, "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  mkdirSync(path.join(ROOT, "data"), { recursive: true });
  const results = {
    date: new Date().toISOString(),
    short: SHORT,
    node: process.version,
    cpus: os.cpus().length,
    timing: TIMING,
    app: [],
  };
  if (ONLY.has("crypto")) {
    results.crypto = await client({ kind: "crypto", budgetMs: SHORT ? 100 : 400 });
  }
  const sqlite = await measureApp(`file:./data/bench-${PORT}.db`, "sqlite");
  results.app.push(sqlite.results);
  try {
    if (PEER_NAME && ONLY.has("peer")) {
      const peer = await startPeer();
      try {
        results.peer = await compare(sqlite.server, peer, "better-auth", [["signin", MANY], ["signin", 1], ["register", MANY], ["register", 1]]);
      } finally {
        await stopServer(peer.child);
      }
    }
    if (process.env.BENCH_BASELINE) {
      const baseline = await startBaseline(process.env.BENCH_BASELINE);
      try {
        results.baseline = await compare(sqlite.server, baseline, "app", [["signin", MANY], ["register", MANY]]);
      } finally {
        await stopServer(baseline.child);
        rmSync(baseline.dir, { recursive: true, force: true });
      }
    }
  } finally {
    await stopServer(sqlite.server.child);
  }
  if (process.env.BENCH_POSTGRES_URL) {
    const url = new URL(process.env.BENCH_POSTGRES_URL);
    url.pathname = `/bench_${PORT}`;
    const postgres = await measureApp(url.toString(), "postgresql");
    results.app.push(postgres.results);
  }
  results.seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(path.join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${report(results)}\n\n(bench/results.json; ${results.seconds} s)\n`);
  const errors = results.app.flatMap((a) => ["register1", "registerMany", "signIn1", "signInMany"].map((k) => a[k]?.errors ?? 0));
  return errors.some((n) => n > 0) ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (error) {
  console.error(error);
} finally {
  await Promise.all(servers.map(stopServer));
}
process.exit(status);
