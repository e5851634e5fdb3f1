import { defineConfig } from "vitest/config";

// The unit and API suite runs on shared, busy 2-core machines (CI runs it beside other work): a test's
// time limit is sized for that, not for an idle laptop. No test asserts on time; these only stop a hang.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
