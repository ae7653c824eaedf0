import path from "node:path";
import { fileURLToPath } from "node:url";

// next, react and better-sqlite3 come from the app's node_modules two folders up (the same
// versions as the app's), so the build's root is the repository.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** @type {import('next').NextConfig} */
const config = {
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3"],
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default config;
