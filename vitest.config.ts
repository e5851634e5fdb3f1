import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Closes (and on PostgreSQL drops) the test databases a file left open.
    setupFiles: ["src/testing/vitest-setup.ts"],
    // On PostgreSQL every test migrates a schema of its own over the network: slower than in memory.
    testTimeout: process.env.TEST_DATABASE_URL ? 120_000 : 5_000,
    hookTimeout: process.env.TEST_DATABASE_URL ? 60_000 : 10_000,
  },
});
