import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  answer,
  createJob,
  type Engine,
  expectProblem,
  getJob,
  item,
  postEvent,
  putConnector,
  Stream,
  send,
  setup,
  T0,
  type TestService,
} from "./api-test-helpers";

let t: TestService;
let a: Engine;
let b: Engine;

beforeEach(async () => {
  ({ t, engine: a } = await setup());
  b = await t.addAccount("SVC-2");
});
afterEach(() => t.close());

/** Every path of the engine API, with a body that would be accepted. */
const endpoints: [string, string, unknown][] = [
  ["PUT", "/connectors/c1", { name: "N", kind: "other" }],
  ["POST", "/jobs", { id: "j1", connectorId: "c1", type: "backup", description: "d" }],
  ["GET", "/jobs", undefined],
  ["GET", "/jobs/j1", undefined],
  ["POST", "/jobs/j1/events", { seq: 1, type: "started", at: T0 }],
];

async function raw(method: string, path: string, body: unknown, headers: Record<string, string>) {
  const res = await t.app.request(`/api/v1${path}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(res);
}

describe("authentication", () => {
  it.each(endpoints)(
    "answers 401 with WWW-Authenticate to %s %s without a token",
    async (method, path, body) => {
      const r = await raw(method, path, body, {});
      expectProblem(r, 401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    },
  );

  it.each(endpoints)(
    "answers 401 with WWW-Authenticate to %s %s with a wrong token",
    async (method, path, body) => {
      const wrongSecret = a.token.replace(/\.(.)/, (_, ch: string) => `.${ch === "A" ? "B" : "A"}`);
      expect(wrongSecret).not.toBe(a.token);
      const r = await raw(method, path, body, { authorization: `Bearer ${wrongSecret}` });
      expectProblem(r, 401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    },
  );

  it.each([
    ["a token of the wrong shape", "Bearer not-a-token"],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["the bare token without a scheme", "TOKEN"],
    ["an empty bearer", "Bearer "],
  ])("answers 401 to %s", async (_, header) => {
    const r = await raw("GET", "/jobs", undefined, { authorization: header.replace("TOKEN", a.token) });
    expectProblem(r, 401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("changes nothing for a request it refuses", async () => {
    await raw("PUT", "/connectors/c1", { name: "N", kind: "other" }, {});
    expectProblem(await send(a, "POST", "/jobs", endpoints[1]![2]), 404);
  });

  it("accepts the scheme name in any case", async () => {
    const r = await raw("GET", "/jobs", undefined, { authorization: `bearer ${a.token}` });
    expect(r.status).toBe(200);
  });

  it("answers 401 before looking at the body", async () => {
    const r = await t.app.request("/api/v1/jobs", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expectProblem(await answer(r), 401);
  });
});

describe("accounts do not meet", () => {
  it("lets two accounts use the same connector and job IDs, each getting 201", async () => {
    expect(
      (await send(a, "PUT", "/connectors/c1", { name: "A's connector", kind: "salesforce" })).status,
    ).toBe(201);
    expect((await send(b, "PUT", "/connectors/c1", { name: "B's connector", kind: "zendesk" })).status).toBe(
      201,
    );
    const jobA = await send(a, "POST", "/jobs", {
      id: "j1",
      connectorId: "c1",
      type: "backup",
      description: "A",
    });
    const jobB = await send(b, "POST", "/jobs", {
      id: "j1",
      connectorId: "c1",
      type: "restore",
      description: "B",
    });
    expect(jobA.status).toBe(201);
    expect(jobB.status).toBe(201);
    expect(await getJob(a, "j1")).toMatchObject({ type: "backup", description: "A" });
    expect(await getJob(b, "j1")).toMatchObject({ type: "restore", description: "B" });
  });

  it("keeps each account's event streams apart under the same job ID", async () => {
    await createJob(a, { id: "j1" }, true);
    await createJob(b, { id: "j1", type: "restore" }, true);
    const sa = new Stream(a, "j1");
    const sb = new Stream(b, "j1");
    await sa.started();
    await sb.started();
    await sa.progress({ added: { items: 5, bytes: 50 } });
    await sb.skipped([item("x")]);
    const fin = await sb.finished({ outcome: "completed" });
    expect(fin.job).toMatchObject({ status: "unsuccessful", reason: "all_items_skipped" });
    const jobA = await getJob(a, "j1");
    expect(jobA).toMatchObject({ status: "in_progress", reason: null });
    expect(jobA.stats.added).toEqual({ items: 5, bytes: 50 });
    expect(jobA.stats.skipped).toEqual({ items: 0, bytes: 0 });
  });

  it("does not let an account update another account's connector; it creates its own", async () => {
    await send(a, "PUT", "/connectors/c1", { name: "Original", kind: "teams" });
    expect((await send(b, "PUT", "/connectors/c1", { name: "Hijack", kind: "other" })).status).toBe(201);
    await createJob(a, { id: "j1" });
    const list = await send(a, "GET", "/jobs?q=Original");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(["j1"]);
    expect((await send(a, "GET", "/jobs?q=Hijack")).body.jobs).toEqual([]);
  });

  it("answers 404 with nothing of the job to another account's GET", async () => {
    await createJob(a, { id: "secret-job", description: "Top secret payroll" }, true);
    const r = await send(b, "GET", "/jobs/secret-job");
    expectProblem(r, 404);
    expect(r.body.job).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain("payroll");
    // Exactly what a job that exists nowhere gets, apart from the ID it names.
    const none = await send(b, "GET", "/jobs/other-job");
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(none.body).sort());
  });

  it("answers 404 with nothing of the job to another account's events, and applies nothing", async () => {
    await createJob(a, { id: "secret-job", description: "Top secret payroll" }, true);
    await new Stream(a, "secret-job").started();
    for (const event of [
      { seq: 1, type: "started", at: T0 },
      { seq: 2, type: "finished", at: "2026-11-27T13:00:00Z", outcome: "failed" },
    ]) {
      const r = await postEvent(b, "secret-job", event);
      expectProblem(r, 404);
      expect(r.body.job).toBeUndefined();
      expect(r.body.expectedSeq).toBeUndefined();
      expect(r.body.cancelRequested).toBeUndefined();
      expect(JSON.stringify(r.body)).not.toContain("payroll");
    }
    expect(await getJob(a, "secret-job")).toMatchObject({ status: "in_progress" });
  });

  it("answers 404 to a job on another account's connector", async () => {
    await putConnector(a, "a-only");
    const r = await send(b, "POST", "/jobs", {
      id: "j1",
      connectorId: "a-only",
      type: "backup",
      description: "d",
    });
    expectProblem(r, 404);
    expect(JSON.stringify(r.body)).not.toContain("Contoso");
    expectProblem(await send(b, "GET", "/jobs/j1"), 404);
  });

  it("refuses another account's connector in the list filter as it refuses an unknown one", async () => {
    await putConnector(a, "a-only");
    const theirs = await send(b, "GET", "/jobs?connector=a-only");
    const unknown = await send(b, "GET", "/jobs?connector=nobody");
    expectProblem(theirs, 400, "connector");
    expectProblem(unknown, 400, "connector");
    expect(theirs.body.title).toBe(unknown.body.title);
  });

  it("lists only the account's own jobs, and free text does not reach other accounts", async () => {
    await createJob(a, { id: "a1", description: "Quarterly mailbox backup" }, true);
    await createJob(b, { id: "b1", description: "Quarterly mailbox backup" }, true);
    const listA = await send(a, "GET", "/jobs");
    expect(listA.body.jobs.map((j: { id: string }) => j.id)).toEqual(["a1"]);
    const searchB = await send(b, "GET", "/jobs?q=Quarterly");
    expect(searchB.body.jobs.map((j: { id: string }) => j.id)).toEqual(["b1"]);
    expect((await send(b, "GET", "/jobs?q=a1")).body.jobs).toEqual([]);
  });

  it("lets another account register a different job under an ID this account already uses", async () => {
    await createJob(a, { id: "j1", description: "A" }, true);
    await putConnector(b, "c1");
    const r = await send(b, "POST", "/jobs", {
      id: "j1",
      connectorId: "c1",
      type: "zip_download",
      description: "B",
    });
    expect(r.status).toBe(201);
    expect(await getJob(a, "j1")).toMatchObject({ type: "backup", description: "A" });
  });

  it("does not show a follow-up job to another account", async () => {
    await createJob(a, { id: "bk" }, true);
    const s = new Stream(a, "bk");
    await s.started();
    const { job } = await s.finished({ outcome: "stopped", reason: "job_aborted" });
    expectProblem(await send(b, "GET", `/jobs/${job.followUpJobId}`), 404);
    expect((await send(b, "GET", "/jobs")).body.jobs).toEqual([]);
  });
});
