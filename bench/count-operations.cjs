/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
// Preloaded into the servers the benchmark starts (node --require): counts the SQL statements
// better-sqlite3 prepares (by their first word) and the WebCrypto signatures made and verified
// (JWTs through jose, WebAuthn assertions through SimpleWebAuthn), and writes the counts to
// `$BENCH_COUNTS_FILE` whenever the process receives SIGUSR2. Counting only: nothing is changed.
const { writeFileSync } = require("node:fs");

const counts = {};
const count = (name) => (counts[name] = (counts[name] ?? 0) + 1);

function countStatements() {
  let Database;
  try {
    Database = require(require.resolve("better-sqlite3", { paths: [process.cwd(), __dirname] }));
  } catch {
    return; // PostgreSQL only: no SQLite driver to count
  }
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql, ...rest) {
    count(`sql ${/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "?"}`);
    return prepare.call(this, sql, ...rest);
  };
}

function countSignatures() {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  for (const operation of ["sign", "verify"]) {
    const original = subtle[operation].bind(subtle);
    subtle[operation] = (algorithm, ...rest) => {
      count(`${operation} ${typeof algorithm === "string" ? algorithm : algorithm?.name}`);
      return original(algorithm, ...rest);
    };
  }
}

if (process.env.BENCH_COUNTS_FILE) {
  countStatements();
  countSignatures();
  process.on("SIGUSR2", () => writeFileSync(process.env.BENCH_COUNTS_FILE, JSON.stringify(counts)));
}
