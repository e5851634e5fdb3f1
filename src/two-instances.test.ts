import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, putConnector, Stream } from "./engine-api/api-test-helpers";
import { Browser, type SignedInUser, signIn, type TestService } from "./testing/browser-session";
import { createTestApp } from "./testing/test-app";

// Two instances of the service on one database behave as one: what a user or an engine did through A
// holds on B. On PostgreSQL (TEST_DATABASE_URL) each instance has a pool of its own, as two processes
// behind a load balancer would; nothing they share lives in process memory.

let t: TestService;
let engine: Engine;
let onA: SignedInUser;
let onB: Browser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  onA = await signIn(t, engine.account.id, { email: "alice@example.com" });
  // The same browser (its cookies and CSRF token) sent to the other instance.
  onB = new Browser({ ...t, app: t.secondInstance().app });
  for (const [name, value] of onA.jar.cookies) onB.jar.cookies.set(name, value);
  onB.csrfToken = onA.csrfToken;
});
afterEach(() => t.close());

describe("two instances on one database", () => {
  it("accept a session signed in on A at B, and a sign-out on B ends it on A", async () => {
    const page = await onB.get("/jobs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("alice@example.com");
    expect((await onB.post("/logout")).status).toBe(303);
    const after = await onA.get("/jobs");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/\/login/);
  });

  it("cancel a restore whose dialog was opened on A when the password is confirmed on B", async () => {
    await createJob(engine, { id: "r1", type: "restore", description: "Restore of the finance mailbox" });
    const s = new Stream(engine, "r1");
    await s.started();
    const ask = await onA.get("/jobs/r1/cancel?step=password&return=%2Fjobs");
    expect(ask.status).toBe(200);
    const confirm = await onB.post("/jobs/r1/cancel", { password: onA.password, return: "/jobs" });
    expect(confirm.status).toBe(303);
    // The engine hears of it whichever instance its next event reaches.
    const answer = await s.progress({ restored: { items: 1, bytes: 1 } });
    expect(answer.cancelRequested).toBe(true);
  });

  it("never serve a summary remembered on A after B changed the jobs", async () => {
    await createJob(engine, { id: "bk-1", description: "Nightly backup" });
    expect(await (await onA.get("/jobs")).text()).toContain("1–1 of 1 job");
    // A job registered through B (an engine posting to the other instance).
    const viaB = await t.secondInstance().app.request("/api/v1/jobs", {
      method: "POST",
      headers: { authorization: `Bearer ${engine.token}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "bk-2", connectorId: "c1", type: "backup", description: "Nightly backup" }),
    });
    expect(viaB.status).toBe(201);
    expect(await (await onA.get("/jobs")).text()).toContain("1–2 of 2 jobs");
  });

  it("show a connector renamed through B under its new name on A at once", async () => {
    // The connector filter's list (what the page offers to choose from) and the per-connector page.
    const offered = async () => (await onA.get("/connector-picker", { htmx: {} })).text();
    expect(await offered()).toContain("Contoso Microsoft 365");
    const viaB = await t.secondInstance().app.request("/api/v1/connectors/c1", {
      method: "PUT",
      headers: { authorization: `Bearer ${engine.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Contoso Exchange", kind: "microsoft_365" }),
    });
    expect(viaB.status).toBe(200);
    const list = await offered();
    expect(list).toContain("Contoso Exchange");
    expect(list).not.toContain("Contoso Microsoft 365");
    expect(await (await onA.get("/connectors/c1/jobs")).text()).toContain("<h1>Contoso Exchange</h1>");
  });
});
