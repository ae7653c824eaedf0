#!/usr/bin/env node
// An offline stand-in for Prisma's native `schema-engine` binary.
//
// Every Prisma 7 CLI command wants a native schema engine, which it downloads from Prisma's binary
// host. Pointing PRISMA_SCHEMA_ENGINE_BINARY at this file (scripts/prisma.mjs does) skips the
// download: the CLI spawns this program instead and talks to it the way it talks to the native one.
//   - `--version`: prints the engine version.
//   - `--datasource <json> cli can-connect-to-database | create-database`: one-shot commands; errors
//     are reported as JSON log lines on stderr, like the native engine does.
//   - otherwise (`--datamodels <file>... --datasource <json>`): a JSON-RPC server, one JSON object
//     per line on stdin/stdout, until the CLI closes stdin (and sends SIGTERM).
// The work is done by Prisma's own WebAssembly build of the schema engine, the one the `prisma`
// package ships (build/schema_engine_bg.wasm, same engine hash as the CLI), with the wasm-bindgen
// glue from @prisma/schema-engine-wasm. The Wasm engine reaches the database through a driver
// adapter (better-sqlite3 or pg) instead of its own drivers; the workarounds below paper over the
// places where those adapters and the Wasm engine disagree, each tagged "Pitfall".
//
// stdout is the protocol: diagnostics go to stderr only.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { parseDatabaseUrl } from "../lib/database-url.mjs";

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Entry point

async function main() {
  const { values: options, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      version: { type: "boolean" },
      datasource: { type: "string" },
      datamodels: { type: "string", multiple: true },
      // Passed by the CLI when configured; the Wasm engine has no use for them.
      "enabled-preview-features": { type: "string" },
      "extension-types": { type: "string" },
    },
  });

  if (options.version) {
    loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${wasmGlue.version()}\n`);
    return;
  }

  const datasource = parseDatasource(options.datasource);
  if (positionals[0] === "cli") {
    await runCliCommand(positionals[1], datasource);
    return;
  }
  const datamodels = (options.datamodels ?? []).map((file) => [file, readFileSync(file, "utf8")]);
  await serveJsonRpc(datasource, datamodels);
}

/** `--datasource` is the `datasource` block of prisma.config.ts as JSON: `{ url, shadowDatabaseUrl? }`. */
function parseDatasource(json) {
  const datasource = json ? JSON.parse(json) : {};
  if (!datasource.url) {
    throw new Error("No datasource URL: set `datasource.url` in prisma.config.ts (DATABASE_URL).");
  }
  return datasource;
}

// Which database a URL names is lib/database-url.mjs's decision, as everywhere else in the project.
const isPostgresUrl = (url) => parseDatabaseUrl(url).provider === "postgresql";

// ---------------------------------------------------------------------------------------------
// Logging. The CLI reads the engine's stderr as JSON log lines (and shows them when it fails), so
// our own diagnostics use the engine's log format too.

function logLine(level, message, extraFields = {}) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...extraFields }, target: "schema_engine::logger" };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/** The Wasm engine's log callback receives ready-made JSON log lines. */
function forwardEngineLog(line) {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// The Wasm engine

let schemaEngineClass;

/**
 * Instantiates the schema engine Wasm shipped inside the `prisma` package (so the engine always
 * matches the CLI version), wired to the JS glue of @prisma/schema-engine-wasm. wasm-bindgen glue
 * can only be bound to one instance, hence the cache.
 */
function loadWasmEngine() {
  if (!schemaEngineClass) {
    const prismaDir = path.dirname(require.resolve("prisma/package.json"));
    const wasmModule = new WebAssembly.Module(readFileSync(path.join(prismaDir, "build", "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": wasmGlue });
    wasmGlue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    schemaEngineClass = wasmGlue.SchemaEngine;
  }
  return schemaEngineClass;
}

// ---------------------------------------------------------------------------------------------
// Driver adapters, with the workarounds the Wasm engine needs

/** Adapters (connections) still open; closed on shutdown. */
const openAdapters = new Set();
/** The engine's connection to the main database (it connects once, as it starts). */
let mainAdapter;

/**
 * The migration-aware adapter factory the Wasm engine expects: `connect()` for the main database,
 * `connectToShadowDb()` for the scratch database `migrate dev` replays the migrations into. Bound
 * with Prisma's own binder, which turns thrown errors into the `{ ok, error }` results the engine
 * reads (keeping non-driver errors in `errorRegistry`).
 */
function createAdapterFactory(datasource) {
  const adapters = isPostgresUrl(datasource.url) ? postgresAdapters(datasource) : sqliteAdapters(datasource);
  const open = async (connect) => tracked(withEmptyMigrationsTable(await connect()));
  return bindMigrationAwareSqlAdapterFactory({
    provider: adapters.provider,
    adapterName: adapters.adapterName,
    connect: async () => (mainAdapter = await open(adapters.connect)),
    connectToShadowDb: () => open(adapters.connectToShadowDb),
  });
}

/** Keeps the adapter in `openAdapters` until it is disposed. */
function tracked(adapter) {
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    openAdapters.delete(adapter);
    await dispose();
  };
  openAdapters.add(adapter);
  return adapter;
}

async function closeOpenAdapters() {
  await Promise.allSettled([...openAdapters].map((adapter) => adapter.dispose()));
}

/**
 * Pitfall (P1014 "The underlying table for model `_prisma_migrations` does not exist"): on a fresh
 * database the engine reads `_prisma_migrations` before creating it. The native engine takes its
 * driver's "no such table" for "no migrations yet"; through a driver adapter the Wasm engine gets
 * TableDoesNotExist and fails. An empty result means the same to it (and it still creates the
 * table before applying migrations).
 */
function withEmptyMigrationsTable(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } catch (error) {
      if (error?.cause?.kind === "TableDoesNotExist" && query.sql.includes("_prisma_migrations")) {
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      throw error;
    }
  };
  return adapter;
}

// --- SQLite

/** `file:./data/dev.db` → the absolute path of the database file (see lib/database-url.mjs). */
function sqliteFilePath(url) {
  return parseDatabaseUrl(url).file;
}

function sqliteAdapters(datasource) {
  // Unless prisma.config.ts names one, the adapter's shadow database is in memory.
  const factory = new PrismaBetterSqlite3(
    { url: sqliteFilePath(datasource.url) },
    datasource.shadowDatabaseUrl ? { shadowDatabaseUrl: sqliteFilePath(datasource.shadowDatabaseUrl) } : undefined,
  );
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => withSqliteWorkarounds(await factory.connect()),
    connectToShadowDb: async () => withSqliteWorkarounds(await factory.connectToShadowDb()),
  };
}

function withSqliteWorkarounds(adapter) {
  return withMultiStatementScripts(withoutSqliteSequenceInTableNames(adapter));
}

/**
 * Pitfall (P3006 "contains more than one statement"): to build the shadow database, the engine
 * replays each migration file through `executeRaw`, and better-sqlite3 prepares one statement at a
 * time. A parameterless multi-statement script can run through `executeScript` instead.
 */
function withMultiStatementScripts(adapter) {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && /more than one statement/.test(error?.message)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return adapter;
}

/**
 * Pitfall (`migrate reset` fails with "table ... already exists"): the native engine resets an
 * SQLite database by deleting the file; the Wasm engine only deletes the rows, so re-applying the
 * migrations collides with the tables left behind. Drop the tables and views instead, on the
 * engine's own connection (which may hold SQLite's exclusive lock). SQLite's internal tables stay:
 * sqlite_sequence (AUTOINCREMENT counters) cannot be dropped, so it is emptied.
 */
async function resetSqliteDatabase(adapter) {
  const { rows } = await adapter.queryRaw({
    sql: "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')",
    args: [],
    argTypes: [],
  });
  const statements = rows.map(([type, name]) => {
    if (name === "sqlite_sequence") return "DELETE FROM sqlite_sequence;";
    if (name.startsWith("sqlite_")) return "";
    return `DROP ${type === "view" ? "VIEW" : "TABLE"} IF EXISTS "${name.replaceAll('"', '""')}";`;
  });
  // Foreign keys off, or dropping a referenced table first fails (better-sqlite3 enables them).
  await adapter.executeScript(["PRAGMA foreign_keys = OFF;", ...statements, "PRAGMA foreign_keys = ON;"].join("\n"));
}

/**
 * Pitfall (P3005 "The database schema is not empty", right after `migrate reset`): sqlite_sequence
 * outlives the reset (see above), and the engine lists every table of sqlite_master when it checks
 * that a database without a migrations table is empty. Leave SQLite's own table out of that list.
 */
function withoutSqliteSequenceInTableNames(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const isTableNameListing = result.columnNames.join() === "table_name" && query.sql.includes("sqlite_master");
    return isTableNameListing ? { ...result, rows: result.rows.filter(([name]) => name !== "sqlite_sequence") } : result;
  };
  return adapter;
}

// --- PostgreSQL

function postgresAdapters(datasource) {
  const main = new PrismaPg({ connectionString: datasource.url });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => withTextForUnmappedTypes(await main.connect()),
    connectToShadowDb: async () =>
      withTextForUnmappedTypes(
        datasource.shadowDatabaseUrl
          ? await new PrismaPg({ connectionString: datasource.shadowDatabaseUrl }).connect()
          : await connectToTemporaryDatabase(datasource.url),
      ),
  };
}

/**
 * Pitfall (P3006 "already exists"): PrismaPg.connectToShadowDb creates a scratch database but then
 * connects back to the main one (its connection string overrides the database name), so the
 * migrations are replayed onto the main database. Build the shadow URL ourselves, and drop the
 * database once the engine disposes of it (after closing its pool, or the DROP would be refused).
 */
async function connectToTemporaryDatabase(mainUrl) {
  const name = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "_")}`;
  await runAdminStatement(mainUrl, `CREATE DATABASE "${name}"`);
  logLine("INFO", `Created the shadow database ${name}.`);
  const adapter = await new PrismaPg({ connectionString: withDatabaseName(mainUrl, name) }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await runAdminStatement(mainUrl, `DROP DATABASE IF EXISTS "${name}"`);
    logLine("INFO", `Dropped the shadow database ${name}.`);
  };
  return adapter;
}

function withDatabaseName(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** CREATE/DROP DATABASE cannot run in a transaction or through a pool's prepared statements. */
async function runAdminStatement(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Built-in PostgreSQL types that adapter-pg has no column type for, but that the engine's pg_catalog
// queries return (and only ever read as strings). Extend the list if the engine reports
// "Column type '<type>' could not be deserialized from the database".
const TEXT_OID = 25;
const UNMAPPED_CATALOG_TYPE_OIDS = new Set([
  18, // "char": pg_class.relkind, pg_constraint.contype, pg_attribute.attidentity...
]);

/**
 * Pitfall (UnsupportedNativeDataType, "Column type 'char' could not be deserialized"): adapter-pg
 * maps each result column's type OID to a Prisma column type and rejects the built-in ones it does
 * not know. Relabel those columns as text before it maps them: `performIO` is the one funnel for
 * query results, on the adapter and on its transactions alike.
 */
function withTextForUnmappedTypes(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) {
      if (UNMAPPED_CATALOG_TYPE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  if (queryable.startTransaction) {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => withTextForUnmappedTypes(await startTransaction(...args));
  }
  return queryable;
}

// ---------------------------------------------------------------------------------------------
// One-shot commands: `cli can-connect-to-database` and `cli create-database`

/** An error the CLI shows with its Prisma error code, e.g. P1003 "database does not exist". */
class UserFacingError extends Error {
  constructor(errorCode, message) {
    super(message);
    this.errorCode = errorCode;
  }
}

async function runCliCommand(command, datasource) {
  try {
    switch (command) {
      case "can-connect-to-database":
        await canConnect(datasource.url);
        break;
      case "create-database":
        process.stdout.write(`Database '${await createDatabase(datasource.url)}' was successfully created.\n`);
        break;
      default:
        throw new Error(`Unsupported command: cli ${command}`);
    }
  } catch (error) {
    // The CLI skips the first stderr line and parses the rest as JSON log lines, looking for an
    // ERROR with `error_code` and `message`.
    process.stderr.write(`schema-engine bridge: cli ${command} failed\n`);
    logLine("ERROR", error.message, error.errorCode ? { error_code: error.errorCode } : {});
    process.exitCode = 1;
  }
}

async function canConnect(url) {
  if (!isPostgresUrl(url)) {
    const file = sqliteFilePath(url);
    if (!existsSync(file)) {
      throw new UserFacingError("P1003", `Database \`${path.basename(file)}\` does not exist at \`${file}\``);
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw postgresConnectionError(error, url);
  } finally {
    await client.end().catch(() => {});
  }
}

function postgresConnectionError(error, url) {
  const { hostname, port } = new URL(url);
  const server = `${hostname}:${port || 5432}`;
  switch (error.code) {
    case "3D000":
      return new UserFacingError("P1003", `Database \`${databaseName(url)}\` does not exist on the database server at \`${server}\`.`);
    case "28P01":
    case "28000":
      return new UserFacingError("P1000", `Authentication failed against database server at \`${hostname}\`: ${error.message}`);
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "ETIMEDOUT":
      return new UserFacingError("P1001", `Can't reach database server at \`${server}\`.`);
    default:
      return error;
  }
}

/** Creates the database named in the URL (an SQLite file, or a PostgreSQL database). Returns its name. */
async function createDatabase(url) {
  if (!isPostgresUrl(url)) {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "", { flag: "a" }); // an empty file is an empty SQLite database
    return path.basename(file);
  }
  const name = databaseName(url);
  try {
    // CREATE DATABASE must be issued from another database of the server.
    await runAdminStatement(withDatabaseName(url, "postgres"), `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    throw postgresConnectionError(error, url);
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// The JSON-RPC server

/**
 * JSON-RPC methods that are not forwarded as they are to the SchemaEngine method of the same name
 * (applyMigrations, createMigration, devDiagnostic, diagnoseMigrationHistory, diff, ...).
 */
const RPC_OVERRIDES = {
  getDatabaseVersion: (params, { engine }) => engine.version(params),
  // Drops everything: fine while prisma.config.ts declares no external tables (which a reset keeps).
  reset: (params, { engine, datasource }) =>
    isPostgresUrl(datasource.url) ? engine.reset(params) : resetSqliteDatabase(mainAdapter),
};

async function serveJsonRpc(datasource, datamodels) {
  const adapterFactory = createAdapterFactory(datasource);
  const SchemaEngine = loadWasmEngine();
  // `datamodels` must be undefined or non-empty.
  const engine = await SchemaEngine.new({ datamodels: datamodels.length > 0 ? datamodels : undefined }, forwardEngineLog, adapterFactory);

  const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);

  async function handle(request) {
    try {
      const result = await callEngine(request.method, request.params, { engine, datasource });
      // The Wasm engine returns `migrate diff` output instead of printing it; the native engine
      // asks the CLI to print it with a `print` request (the CLI may be capturing it into a file).
      if (request.method === "diff" && result?.stdout) {
        send({ id: `print-${request.id}`, method: "print", params: { content: result.stdout.replace(/\n$/, "") } });
      }
      send({ id: request.id, result: result ?? null });
    } catch (error) {
      send({ id: request.id, error: toRpcError(error, adapterFactory.errorRegistry) });
    }
  }

  // Requests are handled one at a time, in order: the engine is not re-entrant.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line);
    if (message.method === undefined) return; // the CLI's acknowledgement of a `print` request
    queue = queue.then(() => handle(message));
  });
  lines.on("close", () => queue.then(() => shutDown(0)));
}

function callEngine(method, params, { engine, datasource }) {
  if (Object.hasOwn(RPC_OVERRIDES, method)) return RPC_OVERRIDES[method](params, { engine, datasource });
  if (typeof engine[method] !== "function" || method === "free") {
    throw new Error(`The schema engine bridge does not support the \`${method}\` method.`);
  }
  // Call through the instance: a detached wasm-bindgen method loses its binding.
  return engine[method](params);
}

/** The JSON-RPC error shape the CLI unpacks: user-facing errors carry `data.error_code`. */
function toRpcError(error, errorRegistry) {
  return {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: {
      is_panic: error instanceof WebAssembly.RuntimeError,
      message: withOriginalJsErrors(String(error?.message ?? error), errorRegistry),
      ...(typeof error?.code === "string" && { error_code: error.code }),
      ...(error?.meta && { meta: error.meta }),
    },
  };
}

/**
 * Errors thrown in adapter code (not driver errors) reach the engine only as "External error id#N",
 * an index into the binder's error registry: put the original message back.
 */
function withOriginalJsErrors(message, errorRegistry) {
  return message.replace(/External error id#(\d+)/g, (text, id) => {
    const original = errorRegistry.consumeError(Number(id))?.error;
    return original ? `${text}: ${original}` : text;
  });
}

// ---------------------------------------------------------------------------------------------
// Shutdown

let shuttingDown;

/**
 * The CLI closes stdin and sends SIGTERM right away; pools and SQLite handles must be closed either
 * way (an open pg pool keeps the process alive, and a temporary shadow database must be dropped).
 */
function shutDown(exitCode) {
  shuttingDown ??= closeOpenAdapters().finally(() => process.exit(exitCode));
  return shuttingDown;
}

process.on("SIGTERM", () => shutDown(0));

main().catch((error) => {
  logLine("ERROR", error?.stack ?? String(error));
  shutDown(1);
});
