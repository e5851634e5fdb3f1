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

const server = (port: number, basePath: string) => ({
  command: `node --import tsx e2e/support/server.ts`,
  url: `http://127.0.0.1:${port}${basePath}/healthz`,
  env: { E2E_PORT: String(port), BASE_PATH: basePath, LOG_LEVEL: "warn" },
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
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    launchOptions: chromium,
    timezoneId: "Europe/Copenhagen",
    locale: "en-GB",
    trace: "retain-on-failure",
  },
  webServer: [server(3201, ""), server(3202, "/backup/job-monitor")],
  projects: [
    { name: "root", use: { baseURL: "http://127.0.0.1:3201" } },
    { name: "base-path", use: { baseURL: "http://127.0.0.1:3202/backup/job-monitor" } },
  ],
});
