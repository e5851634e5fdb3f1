import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, putConnector } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// Pages and downloads go out gzipped to clients that accept it; answers too small to gain from it do not.

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

const gzip = { headers: { "accept-encoding": "gzip" } };

describe("compression", () => {
  it("gzips a full page for a client that accepts it, and the page reads the same", async () => {
    await createJob(engine, { id: "j1", connectorId: "c1" });
    const res = await user.get("/jobs", gzip);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const html = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    expect(html).toContain('data-job-id="j1"');
  });

  it("sends a polled row as it is: too small to gain from compression", async () => {
    await createJob(engine, { id: "j1", connectorId: "c1" });
    const res = await user.get("/jobs/j1?part=row", { ...gzip, htmx: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    const html = await res.text();
    expect(html).toContain('data-job-id="j1"');
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(html));
  });

  it("sends a page as it is to a client that does not accept gzip", async () => {
    const res = await user.get("/jobs");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(await res.text()).toContain("<table");
  });

  it("does not compress an engine's small JSON answer, but does a long list of jobs", async () => {
    for (let i = 0; i < 20; i += 1) await createJob(engine, { id: `j${i}`, connectorId: "c1" });
    const one = await engine.call("GET", "/jobs/j1", undefined, { "accept-encoding": "gzip" });
    expect(one.status).toBe(200);
    expect(one.headers.get("content-encoding")).toBeNull();
    expect((await one.json()).job.id).toBe("j1");

    const list = await engine.call("GET", "/jobs", undefined, { "accept-encoding": "gzip" });
    expect(list.status).toBe(200);
    expect(list.headers.get("content-encoding")).toBe("gzip");
    const body = JSON.parse(gunzipSync(Buffer.from(await list.arrayBuffer())).toString("utf8"));
    expect(body.jobs).toHaveLength(20);
  });
});
