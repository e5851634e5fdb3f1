import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbidTypeScript } from "./testing/forbid-typescript-env";

// The operator CLI as an operator runs it: a separate process on a database file.

const run = promisify(execFile);
let dir: string;
let dbFile: string;

async function cli(args: string[], input?: string) {
  const child = run("node", ["--import", "tsx", "src/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: dbFile, LOG_LEVEL: "silent" },
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else {
    child.child.stdin?.end();
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "jm-cli-"));
  dbFile = path.join(dir, "cli.db");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--version", () => {
  it("prints the version of the package and exits 0", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const { code, stdout } = await cli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(version);
    }
  });
});

describe("the installed command (package.json bin)", () => {
  it("runs the build in dist/, with no TypeScript loaded: its version, and migrations from dist/", async () => {
    await run("node", ["src/bin/build.js", "--if-stale"]);
    const binDir = mkdtempSync(path.join(tmpdir(), "jm-cli-bin-"));
    try {
      const env = {
        ...process.env,
        ...forbidTypeScript,
        DATABASE_URL: path.join(binDir, "db"),
        LOG_LEVEL: "silent",
      };
      const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
      expect((await run("node", ["src/bin/job-monitor.js", "--version"], { env })).stdout.trim()).toBe(
        version,
      );
      expect((await run("node", ["src/bin/job-monitor.js", "migrate"], { env })).stdout).toMatch(
        /applied: \d{12}_initial/,
      );
    } finally {
      rmSync(binDir, { recursive: true, force: true });
    }
  });
});

describe("the operator CLI", () => {
  it("migrates, and says so again without changing anything", async () => {
    expect((await cli(["migrate"])).stdout).toMatch(/applied: \d{12}_initial/);
    expect((await cli(["migrate"])).stdout).toContain("the schema is up to date");
  }, 30_000);

  it("creates an account, a user with a password from stdin, and a token printed once on the last line", async () => {
    expect((await cli(["account", "create", "--service-id", "ACME-1", "--name", "Acme"])).stdout).toContain(
      "created account ACME-1",
    );
    const user = await cli(
      ["user", "create", "--service-id", "ACME-1", "--email", "Ops@Acme.example"],
      "a long enough password\n",
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toContain("created user ops@acme.example");
    const token = await cli(["token", "create", "--service-id", "ACME-1", "--name", "engine-1"]);
    const last = token.stdout.trim().split("\n").pop()!;
    expect(last).toMatch(/^jm_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    const db = new Database(dbFile, { readonly: true });
    const stored = db.prepare("select secret_hash from api_tokens").all() as { secret_hash: string }[];
    const users = db.prepare("select email, password_hash from users").all() as {
      email: string;
      password_hash: string;
    }[];
    db.close();
    // Only a hash of the token and of the password is kept.
    expect(JSON.stringify(stored)).not.toContain(last.split(".")[1]!);
    expect(users[0]!.password_hash).toMatch(/^scrypt\$17\$8\$1\$/);
  }, 60_000);

  it.each([
    [["account", "create", "--service-id", "bad id", "--name", "x"], /service ID/],
    [["account", "create", "--service-id", "ACME-1", "--name", "Again"], /already exists/],
    [["user", "create", "--service-id", "NOPE", "--email", "a@b.example"], /no account with service ID NOPE/],
    [["user", "create", "--service-id", "ACME-1", "--email", "not-an-email"], /not an e-mail address/],
    [["token", "create", "--service-id", "NOPE"], /no account with service ID NOPE/],
    [["generate", "--jobs", "0"], /--jobs|whole number/],
    [["nonsense"], /unknown command/],
  ])(
    "exits non-zero with a one-line message for %j",
    async (args, message) => {
      const result = await cli(args as string[]);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    },
    30_000,
  );

  it("refuses a short password without creating the user", async () => {
    const result = await cli(
      ["user", "create", "--service-id", "ACME-1", "--email", "short@acme.example"],
      "short\n",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("at least 12 characters");
  }, 30_000);

  it("generates synthetic benchmark data into BENCH accounts, 90 % in the first", async () => {
    const result = await cli(["generate", "--jobs", "2000", "--connectors", "10", "--accounts", "3"]);
    expect(result.code).toBe(0);
    const db = new Database(dbFile, { readonly: true });
    const rows = db
      .prepare(
        "select a.service_id, count(*) n from jobs j join accounts a on a.id = j.account_id group by a.service_id order by a.service_id",
      )
      .all() as { service_id: string; n: number }[];
    const items = db.prepare("select count(*) n from skipped_items").get() as { n: number };
    db.close();
    expect(rows.map((r) => r.service_id)).toEqual(["BENCH-1", "BENCH-2", "BENCH-3"]);
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(2000);
    expect(rows[0]!.n / 2000).toBeGreaterThan(0.85);
    expect(items.n).toBe(10_000);
  }, 60_000);
});
