import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // `server-only` throws outside Next's react-server build; under Vitest we are on the server.
      "server-only": fileURLToPath(new URL("./test/support/server-only.ts", import.meta.url)),
      "@": fileURLToPath(new URL("./", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Database-backed files each use their own database, so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
