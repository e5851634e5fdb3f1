import { defineConfig } from "vitest/config";

// The unit and API suite runs on shared, busy 2-core machines (CI runs it beside other work): a test's
// time limit is sized for that, not for an idle laptop. No test asserts on time; these only stop a hang.
// On PostgreSQL (TEST_DATABASE_URL) every test migrates a schema of its own over the network: longer still.
const pg = Boolean(process.env.TEST_DATABASE_URL);
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Closes (and on PostgreSQL drops) the test databases a file left open.
    setupFiles: ["src/testing/vitest-setup.ts"],
    testTimeout: pg ? 120_000 : 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
