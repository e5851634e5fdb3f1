import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "./server";
import { createTestApp } from "./testing/test-app";

// A request that never sends the body it declared (issue 14 §5) must not hold a connection and a
// handler forever: it gets 408 once REQUEST_TIMEOUT_SECONDS has passed (a short one here).

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function listening(requestTimeoutMs: number) {
  const t = await createTestApp({ requestTimeoutMs });
  const { token } = await t.addAccount("SVC-1");
  const server = startServer(t.app.fetch, { port: 0, host: "127.0.0.1", requestTimeoutMs });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  };
  return { port: (server.address() as { port: number }).port, token };
}

/** Sends raw bytes and collects whatever comes back until the server closes the connection. */
function exchange(port: number, head: string, giveUpMs: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (d) => {
      text += d;
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${giveUpMs} ms; got: ${text}`));
    }, giveUpMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, ms: performance.now() - started });
    });
    socket.on("error", () => {});
  });
}

describe("a request whose body never comes", () => {
  it.each([
    ["the sign-in form", "/login", "application/x-www-form-urlencoded"],
    ["an engine event", "/api/v1/jobs/j1/events", "application/json"],
  ])("%s is answered 408 when the request timeout passes", async (_, path, type) => {
    const { port, token } = await listening(300);
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${type}\r\nContent-Length: 100\r\n\r\nonly a part`;
    const { text } = await exchange(port, head, 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("is 20 seconds by default, and REQUEST_TIMEOUT_SECONDS cannot be set above 300", async () => {
    const { loadConfig } = await import("./config");
    expect(loadConfig({}).requestTimeoutMs).toBe(20_000);
    expect(loadConfig({ REQUEST_TIMEOUT_SECONDS: "5" }).requestTimeoutMs).toBe(5_000);
    expect(() => loadConfig({ REQUEST_TIMEOUT_SECONDS: "301" })).toThrow(/REQUEST_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_SECONDS: "0" })).toThrow(/REQUEST_TIMEOUT_SECONDS/);
  });

  it("a request sent in full is answered as usual", async () => {
    const { port } = await listening(300);
    const { text } = await exchange(
      port,
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      10_000,
    );
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/\r\n\r\nok$/);
  });
});
