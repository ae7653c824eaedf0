import path from "node:path";
import { fileURLToPath } from "node:url";

// The benchmark's blank page (bench/run.mjs, first-load JS): the smallest App Router app, a root
// layout and an empty page, built with the app's own next and react (two folders up), so the
// difference to the app's pages is the app's code alone.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** @type {import('next').NextConfig} */
const config = {
  poweredByHeader: false,
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default config;
