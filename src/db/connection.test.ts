import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { describeDatabaseUrl, isPostgresUrl, sqlitePath } from "./connection";

// Which store a DATABASE_URL opens, and what is said when it cannot be reached.

/** Runs a command of the project with the environment given; resolves with its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", ["--import", "tsx", ...args], { env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.resume();
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

// Port 1 on the loopback address refuses at once: nothing listens there.
const UNREACHABLE = "postgres://monitor:s3cret-Pa55@127.0.0.1:1/jobs";

describe("DATABASE_URL", () => {
  it("names PostgreSQL with postgres:// or postgresql://, and a SQLite file otherwise", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://u@h:5432/db?sslmode=require")).toBe(true);
    expect(isPostgresUrl("./data/job-monitor.db")).toBe(false);
    expect(sqlitePath("sqlite:/var/lib/jm.db")).toBe("/var/lib/jm.db");
    expect(sqlitePath("postgres://u@h/db")).toBeNull();
  });

  it("is shown with its password masked", () => {
    expect(describeDatabaseUrl(UNREACHABLE)).toBe("postgres://monitor:***@127.0.0.1:1/jobs");
    expect(describeDatabaseUrl("postgresql://u@h/db?sslmode=require")).toBe(
      "postgresql://u@h/db?sslmode=require",
    );
    expect(describeDatabaseUrl("./data/job-monitor.db")).toBe("./data/job-monitor.db");
  });

  it.each([
    ["the service", ["src/index.ts"]],
    ["job-monitor migrate", ["src/cli.ts", "migrate"]],
  ])(
    "stops %s with one line naming an unreachable PostgreSQL, password masked",
    async (_, args) => {
      const { code, stderr } = await run(args, { DATABASE_URL: UNREACHABLE, DEMO: "off", PORT: "0" });
      expect(code).not.toBe(0);
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("DATABASE_URL=postgres://monitor:***@127.0.0.1:1/jobs");
      expect(lines[0]).toMatch(/ECONNREFUSED/);
      expect(stderr).not.toContain("s3cret");
    },
    60_000,
  );
});
