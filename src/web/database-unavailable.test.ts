import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { ManualClock } from "../clock";
import { testConfig } from "../config";
import { openDatabase } from "../db/connection";
import { createLogger } from "../logger";

// PostgreSQL out of reach while the service runs (here: a server that refuses every connection):
// pages answer 503 with a plain message, engines 503 with Retry-After, and nothing answers 500.

const db = openDatabase("postgres://monitor@127.0.0.1:1/jobs", { poolSize: 1 });
const app = createApp({ config: testConfig(), db, clock: new ManualClock(), logger: createLogger("silent") });
afterAll(() => db.destroy());

describe("the database out of reach", () => {
  it("answers an engine 503 problem+json with Retry-After", async () => {
    const res = await app.request("/api/v1/jobs", {
      headers: { authorization: `Bearer jm_${"a".repeat(12)}.${"b".repeat(43)}` },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 503, title: "Service unavailable" });
  });

  it("answers a page 503 with a plain message and Retry-After", async () => {
    const res = await app.request("/jobs", { headers: { cookie: `jm_session=${"c".repeat(43)}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.text()).toBe(
      "The Job Monitor cannot reach its database just now. Try again in a moment.",
    );
  });
});
