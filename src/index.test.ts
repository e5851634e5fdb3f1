import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { forbidTypeScript } from "./testing/forbid-typescript-env";

// The service as it runs: it starts on an empty database, answers, and stops cleanly on SIGTERM.

/**
 * Starts the service as `command args` on a fresh database; resolves with its address once it listens.
 * `output()` is everything it printed so far; `stop()` kills it and removes the database.
 */
async function startService(command: string, args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "jm-service-"));
  const child = spawn(command, args, {
    env: {
      ...process.env,
      ...env,
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
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
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
    return { url, child, exited, output: () => out, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

describe("the service process", () => {
  it("starts, migrates, serves, and stops gracefully on SIGTERM", async () => {
    const service = await startService("node", ["--import", "tsx", "src/index.ts"]);
    try {
      expect(service.output()).toContain("database migrated");
      expect(await (await fetch(`${service.url}/healthz`)).text()).toBe("ok");
      service.child.kill("SIGTERM");
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('"msg":"stopped"');
    } finally {
      service.stop();
    }
  }, 60_000);

  it("`npm start` runs the build (no tsx, no TypeScript), which finds the migrations and public/", async () => {
    const service = await startService("npm", ["start", "--silent"], forbidTypeScript);
    const { url } = service;
    try {
      expect(service.output()).toContain("database migrated");
      const login = await (await fetch(`${url}/login`)).text();
      const css = /\/assets\/[\w-]+\/app\.css/.exec(login)?.[0];
      expect(css).toBeDefined();
      expect((await fetch(`${url}${css}`)).status).toBe(200);

      // The signal npm is sent reaches the server (npm start execs it), which leaves nothing behind.
      service.child.kill("SIGTERM");
      await service.exited;
      // The server itself stopped (not only npm): it said so, and its port no longer answers.
      await expect.poll(service.output, { timeout: 15_000 }).toContain('"msg":"stopped"');
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      service.stop();
    }
  }, 90_000);
});
