import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOB_TYPES } from "../jobs/vocabulary";
import {
  type Engine,
  expectProblem,
  getJob,
  putConnector,
  Stream,
  send,
  setup,
  T0,
  type TestService,
} from "./api-test-helpers";

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
});
afterEach(() => t.close());

const body = {
  id: "bk-2026-0001",
  connectorId: "c1",
  type: "backup",
  description: "Nightly backup of mailboxes",
  scheduledAt: "2026-11-27T13:00:00.000Z",
};

describe("POST /api/v1/jobs", () => {
  it("answers 201 with the new job, scheduled, with empty statistics and every field of the contract", async () => {
    const a = await send(engine, "POST", "/jobs", body);
    expect(a.status).toBe(201);
    expect(a.type).toMatch(/^application\/json/);
    expect(a.body.job).toMatchObject({
      id: "bk-2026-0001",
      connectorId: "c1",
      type: "backup",
      status: "scheduled",
      reason: null,
      description: "Nightly backup of mailboxes",
      scheduledAt: "2026-11-27T13:00:00.000Z",
      startedAt: null,
      endedAt: null,
      cancelRequested: false,
      followUpJobId: null,
    });
    const zero = { items: 0, bytes: 0 };
    expect(a.body.job.stats).toEqual({
      added: zero,
      removed: zero,
      restored: zero,
      overwritten: zero,
      skipped: zero,
    });
  });

  it("creates jobs of every type", async () => {
    for (const type of JOB_TYPES) {
      const a = await send(engine, "POST", "/jobs", { ...body, id: `job-${type}`, type });
      expect(a.status, type).toBe(201);
      expect(a.body.job.type).toBe(type);
    }
  });

  it("answers 200 with the same job when the same body is sent again", async () => {
    const first = await send(engine, "POST", "/jobs", body);
    const again = await send(engine, "POST", "/jobs", body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.job).toEqual(first.body.job);
    const list = await send(engine, "GET", "/jobs");
    expect(list.body.jobs).toHaveLength(1);
  });

  it("answers 200 with the job as it is now when a job that already started is registered again", async () => {
    await send(engine, "POST", "/jobs", body);
    await new Stream(engine, body.id).started("2026-11-27T13:01:00.000Z");
    const again = await send(engine, "POST", "/jobs", body);
    expect(again.status).toBe(200);
    expect(again.body.job).toMatchObject({ status: "in_progress", startedAt: "2026-11-27T13:01:00.000Z" });
  });

  it("treats an absent scheduledAt and scheduledAt null as the same body", async () => {
    const { scheduledAt: _, ...withoutSchedule } = body;
    expect((await send(engine, "POST", "/jobs", withoutSchedule)).status).toBe(201);
    const again = await send(engine, "POST", "/jobs", { ...withoutSchedule, scheduledAt: null });
    expect(again.status).toBe(200);
    expect(again.body.job.scheduledAt).toBeNull();
  });

  it("compares the normalised scheduled time: the same instant in another offset is the same body", async () => {
    expect((await send(engine, "POST", "/jobs", body)).status).toBe(201);
    const again = await send(engine, "POST", "/jobs", { ...body, scheduledAt: "2026-11-27T14:00:00+01:00" });
    expect(again.status).toBe(200);
    expect(again.body.job.scheduledAt).toBe("2026-11-27T13:00:00.000Z");
  });

  it("ignores fields the contract does not name when comparing bodies", async () => {
    expect((await send(engine, "POST", "/jobs", body)).status).toBe(201);
    const again = await send(engine, "POST", "/jobs", { ...body, engineVersion: "4.2" });
    expect(again.status).toBe(200);
  });

  it.each([
    ["connectorId", { connectorId: "c2" }],
    ["type", { type: "restore" }],
    ["description", { description: "Something else" }],
    ["scheduledAt", { scheduledAt: "2026-11-27T13:30:00.000Z" }],
    ["scheduledAt (now absent)", { scheduledAt: null }],
  ])(
    "answers 409 when the same id comes with a different %s, and keeps the job unchanged",
    async (_, change) => {
      await putConnector(engine, "c2");
      expect((await send(engine, "POST", "/jobs", body)).status).toBe(201);
      const a = await send(engine, "POST", "/jobs", { ...body, ...change });
      expectProblem(a, 409);
      const job = await getJob(engine, body.id);
      expect(job).toMatchObject({
        connectorId: "c1",
        type: "backup",
        description: body.description,
        scheduledAt: body.scheduledAt,
      });
    },
  );

  it("answers 404 for a job on a connector the account does not have, and creates nothing", async () => {
    const a = await send(engine, "POST", "/jobs", { ...body, connectorId: "ghost" });
    expectProblem(a, 404);
    expect(a.body.detail).toContain("ghost");
    expectProblem(await send(engine, "GET", `/jobs/${body.id}`), 404);
  });

  it("takes the job's list position from its scheduled time, or the registration time without one", async () => {
    t.clock.set("2026-11-27T09:00:00.000Z");
    await send(engine, "POST", "/jobs", { ...body, id: "later", scheduledAt: "2026-11-27T15:00:00.000Z" });
    await send(engine, "POST", "/jobs", { ...body, id: "unscheduled", scheduledAt: null });
    const list = await send(engine, "GET", "/jobs?from=2026-11-27&to=2026-11-27");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(["later", "unscheduled"]);
    const early = await send(engine, "GET", "/jobs?span=24h");
    expect(early.body.jobs.map((j: { id: string }) => j.id)).toEqual(["later", "unscheduled"]);
    t.clock.set("2026-11-28T10:00:00.000Z");
    const dayLater = await send(engine, "GET", "/jobs?span=24h");
    expect(dayLater.body.jobs.map((j: { id: string }) => j.id)).toEqual(["later"]);
  });
});

describe("GET /api/v1/jobs/:jobId", () => {
  it("answers 200 with { job } for a job of the account", async () => {
    await send(engine, "POST", "/jobs", body);
    const a = await send(engine, "GET", `/jobs/${body.id}`);
    expect(a.status).toBe(200);
    expect(a.type).toMatch(/^application\/json/);
    expect(a.body.job).toMatchObject({ id: body.id, connectorId: "c1", status: "scheduled" });
  });

  it("shows the job's current state after events", async () => {
    await send(engine, "POST", "/jobs", body);
    const s = new Stream(engine, body.id);
    await s.started(T0);
    await s.progress({ added: { items: 5, bytes: 500 } });
    const job = await getJob(engine, body.id);
    expect(job).toMatchObject({ status: "in_progress", startedAt: T0 });
    expect(job.stats.added).toEqual({ items: 5, bytes: 500 });
  });

  it("answers 404 problem+json for an unknown job", async () => {
    const a = await send(engine, "GET", "/jobs/nope");
    expectProblem(a, 404);
    expect(a.body.job).toBeUndefined();
  });
});

describe("unknown API paths", () => {
  it("answers 404 problem+json for a path the API does not have", async () => {
    expectProblem(await send(engine, "GET", "/nothing-here"), 404);
    expectProblem(await send(engine, "DELETE", "/jobs/bk-2026-0001"), 404);
    expectProblem(await send(engine, "GET", "/connectors/c1"), 404);
  });
});
