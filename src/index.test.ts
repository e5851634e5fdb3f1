import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { forbidTypeScript } from "./testing/forbid-typescript-env";

// The service as it runs: it starts on an empty database, answers, and stops cleanly on SIGTERM.

describe("the service process", () => {
  it("starts, migrates, serves, and stops gracefully on SIGTERM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jm-index-"));
    const child = spawn("node", ["--import", "tsx", "src/index.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: path.join(dir, "db.sqlite"),
        PORT: "0",
        DEMO: "off",
        LOG_LEVEL: "info",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000);
        child.stdout.on("data", () => {
          const m = /"url":"(http:\/\/[^"]+)\/jobs"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toContain("database migrated");
      expect(await (await fetch(`${url}/healthz`)).text()).toBe("ok");
      const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("`npm start` runs the build (no tsx, no TypeScript), which finds the migrations and public/", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jm-npm-start-"));
    const child = spawn("npm", ["start", "--silent"], {
      env: {
        ...process.env,
        ...forbidTypeScript,
        DATABASE_URL: path.join(dir, "db.sqlite"),
        PORT: "0",
        DEMO: "off",
        LOG_LEVEL: "info",
      },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 45_000);
        child.stdout.on("data", () => {
          const m = /"url":"(http:\/\/[^"]+)\/jobs"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toContain("database migrated");
      const login = await (await fetch(`${url}/login`)).text();
      const css = /\/assets\/[\w-]+\/app\.css/.exec(login)?.[0];
      expect(css).toBeDefined();
      expect((await fetch(`${url}${css}`)).status).toBe(200);

      // The signal npm is sent reaches the server (npm start execs it), which leaves nothing behind.
      const exit = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      child.kill("SIGTERM");
      await exit;
      // The server itself stopped (not only npm): it said so, and its port no longer answers.
      await expect.poll(() => out, { timeout: 15_000 }).toContain('"msg":"stopped"');
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
