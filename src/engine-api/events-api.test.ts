import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestCancel } from "../jobs/job-lifecycle";
import { refuseJobUpdates } from "../testing/test-database";
import {
  accept,
  addUser,
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
  startedJob,
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

describe("started", () => {
  it("puts the job in progress with its start time and answers { job, cancelRequested }", async () => {
    await createJob(engine, { id: "j", scheduledAt: "2026-11-27T11:00:00.000Z" });
    const a = await postEvent(engine, "j", { seq: 1, type: "started", at: "2026-11-27T11:02:03.000Z" });
    expect(a.status).toBe(200);
    expect(a.type).toMatch(/^application\/json/);
    expect(a.body.cancelRequested).toBe(false);
    expect(a.body.job).toMatchObject({
      id: "j",
      status: "in_progress",
      startedAt: "2026-11-27T11:02:03.000Z",
      endedAt: null,
      scheduledAt: "2026-11-27T11:00:00.000Z",
    });
  });

  it("stores the start time in UTC whatever offset the engine used", async () => {
    await createJob(engine, { id: "j" });
    const body = await new Stream(engine, "j").started("2026-11-27T14:00:00.5+02:00");
    expect(body.job.startedAt).toBe("2026-11-27T12:00:00.500Z");
  });

  it("answers 409 to a second started event", async () => {
    const s = await startedJob(engine, "j");
    expectProblem(await s.try({ type: "started", at: T0 }), 409);
    expect((await getJob(engine, "j")).startedAt).toBe(T0);
  });
});

describe("progress", () => {
  it("replaces the statistics with the cumulative totals it carries", async () => {
    const s = await startedJob(engine, "j", "backup");
    await s.progress({ added: { items: 10, bytes: 1000 }, removed: { items: 1, bytes: 10 } });
    const { job } = await s.progress({ added: { items: 25, bytes: 2500 }, removed: { items: 3, bytes: 30 } });
    expect(job.stats.added).toEqual({ items: 25, bytes: 2500 });
    expect(job.stats.removed).toEqual({ items: 3, bytes: 30 });
    expect(job.status).toBe("in_progress");
  });

  it("keeps a statistic the event does not mention", async () => {
    const s = await startedJob(engine, "j", "backup");
    await s.progress({ added: { items: 10, bytes: 1000 }, removed: { items: 1, bytes: 10 } });
    const { job } = await s.progress({ added: { items: 11, bytes: 1100 } });
    expect(job.stats.removed).toEqual({ items: 1, bytes: 10 });
  });

  it("takes restored and overwritten for restores", async () => {
    const s = await startedJob(engine, "r", "restore");
    const { job } = await s.progress({
      restored: { items: 4, bytes: 40 },
      overwritten: { items: 2, bytes: 20 },
    });
    expect(job.stats.restored).toEqual({ items: 4, bytes: 40 });
    expect(job.stats.overwritten).toEqual({ items: 2, bytes: 20 });
  });

  it("accepts the largest safe integer as a count", async () => {
    const s = await startedJob(engine, "j", "backup");
    const max = Number.MAX_SAFE_INTEGER;
    const { job } = await s.progress({ added: { items: max, bytes: max } });
    expect(job.stats.added).toEqual({ items: max, bytes: max });
  });

  it("answers 409 to progress before the job started", async () => {
    await createJob(engine, { id: "j" });
    const a = await postEvent(engine, "j", { seq: 1, type: "progress", at: T0, stats: {} });
    expectProblem(a, 409);
    expect((await getJob(engine, "j")).status).toBe("scheduled");
  });
});

describe("skipped", () => {
  it("answers 409 to skipped items before the job started", async () => {
    await createJob(engine, { id: "j" });
    const a = await postEvent(engine, "j", {
      seq: 1,
      type: "skipped",
      items: [{ key: "k", name: "n", kind: "file", reason: "other" }],
    });
    expectProblem(a, 409);
  });
});

describe("finished", () => {
  it("ends the job with its end time", async () => {
    const s = await startedJob(engine, "j", "backup");
    const { job } = await s.finished({ outcome: "completed" }, "2026-11-27T12:45:00Z");
    expect(job).toMatchObject({ status: "successful", endedAt: "2026-11-27T12:45:00.000Z", startedAt: T0 });
  });

  it("applies the statistics it carries", async () => {
    const s = await startedJob(engine, "j", "backup");
    await s.progress({ added: { items: 1, bytes: 1 } });
    const { job } = await s.finished({ outcome: "completed", stats: { added: { items: 9, bytes: 900 } } });
    expect(job.stats.added).toEqual({ items: 9, bytes: 900 });
  });

  it("answers 400 naming at when the job would end before it started, and changes nothing", async () => {
    const s = await startedJob(engine, "j", "backup");
    const a = await s.try({ type: "finished", at: "2026-11-27T11:59:59.000Z", outcome: "completed" });
    expectProblem(a, 400, "at");
    expect(await getJob(engine, "j")).toMatchObject({ status: "in_progress", endedAt: null });
    // The seq was not used up: the corrected event is accepted under it.
    expect((await s.finished({ outcome: "completed" })).job.status).toBe("successful");
  });

  it("accepts an end time equal to the start time", async () => {
    const s = await startedJob(engine, "j", "backup");
    expect((await s.finished({ outcome: "completed" }, T0)).job.endedAt).toBe(T0);
  });
});

describe("job IDs in paths", () => {
  it("takes events and answers GET for IDs with every allowed punctuation mark", async () => {
    const id = "Tenant:42@eu~bk_2026-11.27";
    await createJob(engine, { id });
    const { job } = await new Stream(engine, id).started();
    expect(job).toMatchObject({ id, status: "in_progress" });
    expect((await getJob(engine, id)).id).toBe(id);
  });
});

describe("events for jobs that do not exist", () => {
  it("answers 404 problem+json for an unknown job", async () => {
    const a = await postEvent(engine, "nope", { seq: 1, type: "started", at: T0 });
    expectProblem(a, 404);
    expect(a.body.job).toBeUndefined();
  });
});

describe("cancellation", () => {
  async function cancel(jobId: string) {
    const user = await addUser(t, engine.account.id);
    return requestCancel(t.db, t.clock, engine.account.id, jobId, user);
  }

  it("tells the engine of a user's cancel request in the answer to its next event", async () => {
    const s = await startedJob(engine, "r", "restore");
    expect((await s.progress({ restored: { items: 1, bytes: 1 } })).cancelRequested).toBe(false);
    t.clock.set("2026-11-27T12:10:00.000Z");
    expect((await cancel("r"))?.kind).toBe("cancelling");
    const next = await s.progress({ restored: { items: 2, bytes: 2 } });
    expect(next.cancelRequested).toBe(true);
    expect(next.job).toMatchObject({ status: "in_progress", cancelRequested: true });
    expect(await getJob(engine, "r")).toMatchObject({ cancelRequested: true });
  });

  it("ends a cancel-requested restore as cancelled when its engine acknowledges", async () => {
    const s = await startedJob(engine, "r", "restore");
    await cancel("r");
    const { job, cancelRequested } = await s.finished({ outcome: "cancelled" });
    expect(cancelRequested).toBe(true);
    expect(job).toMatchObject({ status: "cancelled", reason: null, cancelRequested: true });
  });

  it("answers 409 with cancelRequested to an engine reporting on a scheduled restore that was cancelled", async () => {
    await createJob(engine, { id: "r", type: "restore" });
    expect((await cancel("r"))?.kind).toBe("cancelled");
    const a = await postEvent(engine, "r", { seq: 1, type: "started", at: T0 });
    expectProblem(a, 409);
    expect(a.body.cancelRequested).toBe(true);
    expect(a.body.job).toMatchObject({ status: "cancelled" });
  });

  it("shows a job the engine cancelled on its own as cancelled with no reason and no request", async () => {
    const s = await startedJob(engine, "r", "restore");
    const { job, cancelRequested } = await s.finished({ outcome: "cancelled" });
    expect(cancelRequested).toBe(false);
    expect(job).toMatchObject({ status: "cancelled", reason: null, cancelRequested: false });
  });

  it("reports service_interrupted for a restore the service cancelled", async () => {
    const s = await startedJob(engine, "r", "restore");
    const { job } = await s.finished({ outcome: "cancelled", reason: "service_interrupted" });
    expect(job).toMatchObject({ status: "cancelled", reason: "service_interrupted" });
  });
});

describe("job list after events", () => {
  it("files a started job under its start time, not its scheduled time", async () => {
    await createJob(engine, { id: "j", scheduledAt: "2026-11-20T12:00:00.000Z" });
    await new Stream(engine, "j").started("2026-11-27T09:00:00.000Z");
    const today = await send(engine, "GET", "/jobs?from=2026-11-27&to=2026-11-27");
    expect(today.body.jobs.map((j: { id: string }) => j.id)).toEqual(["j"]);
    const scheduledDay = await send(engine, "GET", "/jobs?from=2026-11-20&to=2026-11-20");
    expect(scheduledDay.body.jobs).toEqual([]);
  });
});

describe("each event is applied whole or not at all", () => {
  /** Makes the database refuse the job row's update, the last write of an event. */
  let allowJobUpdates: () => Promise<void>;
  async function failJobUpdates() {
    allowJobUpdates = await refuseJobUpdates(t.db);
  }

  it("keeps no skipped item of a batch whose job update failed, and accepts the batch when resent", async () => {
    const s = await startedJob(engine, "r", "restore");
    await failJobUpdates();
    const batch = s.next({ type: "skipped", items: [item("a"), item("b")] });
    const failed = await postEvent(engine, "r", batch);
    expectProblem(failed, 500);
    expect(JSON.stringify(failed.body)).not.toContain("refused by test");
    const job = (await t.db.selectFrom("jobs").select("pk").where("id", "=", "r").executeTakeFirst())!;
    expect(await t.db.selectFrom("skipped_items").selectAll().where("job_pk", "=", job.pk).execute()).toEqual(
      [],
    );
    expect(
      await t.db.selectFrom("job_events").selectAll().where("job_pk", "=", job.pk).execute(),
    ).toHaveLength(1);

    await allowJobUpdates();
    const resent = await postEvent(engine, "r", batch);
    expect(resent.status).toBe(200);
    expect(resent.body.job.stats.skipped).toEqual({ items: 2, bytes: 200 });
  });

  it("schedules no follow-up job when the finished event that asked for it failed", async () => {
    const s = await startedJob(engine, "bk", "backup");
    await failJobUpdates();
    const fin = s.next({
      type: "finished",
      at: "2026-11-27T13:00:00Z",
      outcome: "stopped",
      reason: "job_aborted",
    });
    expectProblem(await postEvent(engine, "bk", fin), 500);
    await allowJobUpdates();
    expect((await send(engine, "GET", "/jobs")).body.jobs.map((j: { id: string }) => j.id)).toEqual(["bk"]);
    expect(await getJob(engine, "bk")).toMatchObject({ status: "in_progress", followUpJobId: null });
    const { job } = await accept(engine, "bk", fin);
    expect(job.followUpJobId).toEqual(expect.any(String));
    expect((await send(engine, "GET", "/jobs")).body.jobs).toHaveLength(2);
  });
});
