// ESLint 9 flat config: `npm run lint` runs it (with --max-warnings 0) and then the type check.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  // Next.js's rules, React's recommended rules and react-hooks' recommended rules (Rules of Hooks,
  // exhaustive deps and the React Compiler's checks: purity, refs, set-state-in-effect, …), with
  // Core Web Vitals rules as errors.
  ...nextVitals,
  // typescript-eslint's recommended rules for .ts and .tsx files.
  ...nextTypescript,
  // Generated or build output: nobody edits it, so nobody lints it.
  globalIgnores([
    ".next/**",
    ".vercel/**", // npm run test:vercel: the Vercel CLI's Build Output
    "out/**",
    "build/**",
    "next-env.d.ts",
    "generated/**",
    "playwright-report/**",
    "test-results/**",
    // The benchmark's peer app (bench/peer) builds and installs into its own folders.
    "bench/peer/.next/**",
    "bench/peer/node_modules/**",
    "bench/blank/.next/**",
  ]),
]);
