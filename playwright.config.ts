import { defineConfig } from "@playwright/test";

// End-to-end tests in Debian's Chromium against real servers on fresh databases: one at the root and one
// under a base path, so every link, form and cookie is checked both ways.

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export const PORTAL_KEY = "e2e-portal-signing-key-0123456789-abcdef";

// The servers' ports: 3201–3203 and 4010 unless E2E_PORT_BASE (3200) and E2E_PORTAL_PORT say otherwise,
// so that two checkouts on one machine can run the suite at the same time.
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3200);
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? 4010);
export const PORTAL_ORIGIN = `http://127.0.0.1:${PORTAL_PORT}`;

const server = (port: number, basePath: string, env: Record<string, string> = {}) => ({
  command: `node --import tsx e2e/support/server.ts`,
  url: `http://127.0.0.1:${port}${basePath}/healthz`,
  env: { E2E_PORT: String(port), BASE_PATH: basePath, LOG_LEVEL: "warn", ...env },
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
});

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Sized for a shared, busy 2-core machine (CI runs beside other work), where an accessibility scan of a
  // long page alone can take most of a minute; no test asserts on time.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    launchOptions: chromium,
    timezoneId: "Europe/Copenhagen",
    locale: "en-GB",
    trace: "retain-on-failure",
  },
  webServer: [
    server(PORT_BASE + 1, ""),
    server(PORT_BASE + 2, "/backup/job-monitor"),
    // Embedded in a portal on another site: the portal at 127.0.0.1:4010 frames the monitor at localhost.
    server(PORT_BASE + 3, "/backup/job-monitor", {
      PORTAL_SIGNING_KEY: PORTAL_KEY,
      COOKIE_SAMESITE: "none",
      FRAME_ANCESTORS: PORTAL_ORIGIN,
    }),
    {
      command: "node --import tsx examples/portal/server.ts",
      url: `${PORTAL_ORIGIN}/`,
      env: {
        PORTAL_PORT: String(PORTAL_PORT),
        MONITOR_URL: `http://localhost:${PORT_BASE + 3}/backup/job-monitor`,
        PORTAL_SIGNING_KEY: PORTAL_KEY,
        PORTAL_USER_EMAIL: "admin@a.e2e.test",
        PORTAL_SERVICE_ID: "E2E-A-1001",
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
  projects: [
    { name: "root", testIgnore: /portal\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${PORT_BASE + 1}` } },
    {
      name: "base-path",
      testIgnore: /portal\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${PORT_BASE + 2}/backup/job-monitor` },
    },
    {
      name: "portal",
      testMatch: /portal\.spec\.ts/,
      use: { baseURL: `http://localhost:${PORT_BASE + 3}/backup/job-monitor` },
    },
  ],
});
