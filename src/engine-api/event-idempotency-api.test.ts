import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findJob } from "../jobs/jobs.repository";
import {
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

// Engines retry after lost answers: an accepted seq sent again with the same body changes nothing and
// answers with the job as it is now; anything else out of order is a conflict.

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
});
afterEach(() => t.close());

const started = { seq: 1, type: "started", at: T0 };

describe("resending an accepted event", () => {
  it("answers 200 with the job as it is now when started is resent after later events", async () => {
    await createJob(engine, { id: "j" });
    await postEvent(engine, "j", started);
    await postEvent(engine, "j", {
      seq: 2,
      type: "progress",
      at: T0,
      stats: { added: { items: 3, bytes: 30 } },
    });
    const again = await postEvent(engine, "j", started);
    expect(again.status).toBe(200);
    expect(again.body.cancelRequested).toBe(false);
    expect(again.body.job).toMatchObject({ status: "in_progress", startedAt: T0 });
    expect(again.body.job.stats.added).toEqual({ items: 3, bytes: 30 });
  });

  it("does not count a resent skipped batch twice", async () => {
    const s = await startedJob(engine, "r", "restore");
    const batch = s.next({ type: "skipped", items: [item("a"), item("b", { kind: "folder" })] });
    // A restore's skipped size includes its folders (PRODUCT.md §2).
    const first = await postEvent(engine, "r", batch);
    expect(first.body.job.stats.skipped).toEqual({ items: 2, bytes: 200 });
    const again = await postEvent(engine, "r", batch);
    expect(again.status).toBe(200);
    expect(again.body.job.stats.skipped).toEqual({ items: 2, bytes: 200 });
    s.seq += 1;
    // Later batches keep counting from the right total.
    expect((await s.skipped([item("c")])).job.stats.skipped).toEqual({ items: 3, bytes: 300 });
  });

  it("treats a resent skipped batch as the same body even after a later batch changed an item", async () => {
    const s = await startedJob(engine, "r", "restore");
    const batch = s.next({ type: "skipped", items: [item("a", { size: 100 })] });
    await postEvent(engine, "r", batch);
    s.seq += 1;
    await s.skipped([item("a", { size: 5 })]);
    const again = await postEvent(engine, "r", batch);
    expect(again.status).toBe(200);
    // Nothing applied: the later report of "a" still wins.
    expect(again.body.job.stats.skipped).toEqual({ items: 1, bytes: 5 });
  });

  it("answers 200 to a resent finished, scheduling no second follow-up job", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const finished = s.next({
      type: "finished",
      at: "2026-11-27T13:00:00.000Z",
      outcome: "stopped",
      reason: "job_aborted",
    });
    const first = await postEvent(engine, "bk", finished);
    expect(first.status).toBe(200);
    t.clock.set("2026-11-27T14:00:00.000Z");
    const again = await postEvent(engine, "bk", finished);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const all = await send(engine, "GET", "/jobs");
    expect(all.body.jobs).toHaveLength(2);
  });

  it("answers a resent finished with the job as it is now, and not as it was", async () => {
    const s = await startedJob(engine, "r", "restore");
    const finished = s.next({ type: "finished", at: "2026-11-27T13:00:00.000Z", outcome: "completed" });
    await postEvent(engine, "r", finished);
    const again = await postEvent(engine, "r", finished);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ job: await getJob(engine, "r"), cancelRequested: false });
  });

  it("does not change the job's update time or events when an event is resent", async () => {
    await createJob(engine, { id: "j" });
    await postEvent(engine, "j", started);
    const before = await findJob(t.db, engine.account.id, "j");
    t.clock.set("2026-11-27T15:00:00.000Z");
    await postEvent(engine, "j", started);
    const after = await findJob(t.db, engine.account.id, "j");
    expect(after!.updatedAt).toBe(before!.updatedAt);
    expect(after!.lastSeq).toBe(1);
    const events = await t.db.selectFrom("job_events").selectAll().where("job_pk", "=", after!.pk).execute();
    expect(events).toHaveLength(1);
  });

  it("recognises the same event sent with its timestamp in another notation", async () => {
    await createJob(engine, { id: "j" });
    await postEvent(engine, "j", started);
    const again = await postEvent(engine, "j", { seq: 1, type: "started", at: "2026-11-27T13:00:00+01:00" });
    expect(again.status).toBe(200);
  });

  it("ignores the order of the body's fields when comparing", async () => {
    await createJob(engine, { id: "j" });
    await postEvent(engine, "j", started);
    const again = await postEvent(engine, "j", { at: T0, type: "started", seq: 1 });
    expect(again.status).toBe(200);
  });
});

describe("conflicts", () => {
  it("answers 409 when an accepted seq comes with another body", async () => {
    await createJob(engine, { id: "j" });
    await postEvent(engine, "j", started);
    const a = await postEvent(engine, "j", { seq: 1, type: "started", at: "2026-11-27T12:00:01.000Z" });
    expectProblem(a, 409, "seq");
    expect((await getJob(engine, "j")).startedAt).toBe(T0);
  });

  it("answers 409 when an accepted seq comes back as another type of event", async () => {
    const s = await startedJob(engine, "j");
    await s.progress({ added: { items: 1, bytes: 1 } });
    const a = await postEvent(engine, "j", {
      seq: 2,
      type: "progress",
      at: T0,
      stats: { added: { items: 2, bytes: 2 } },
    });
    expectProblem(a, 409);
    const b = await postEvent(engine, "j", { seq: 2, type: "skipped", items: [item("a")] });
    expectProblem(b, 409);
    const job = await getJob(engine, "j");
    expect(job.stats.added).toEqual({ items: 1, bytes: 1 });
    expect(job.stats.skipped).toEqual({ items: 0, bytes: 0 });
  });

  it("answers 409 to a resent finished with another outcome", async () => {
    const s = await startedJob(engine, "bk");
    await s.finished({ outcome: "completed" });
    const a = await postEvent(engine, "bk", {
      seq: 2,
      type: "finished",
      at: "2026-11-27T13:00:00.000Z",
      outcome: "failed",
    });
    expectProblem(a, 409);
    expect((await getJob(engine, "bk")).status).toBe("successful");
  });

  it("answers 409 when an event skips a seq, and tells the engine which seq comes next", async () => {
    await createJob(engine, { id: "j" });
    const a = await postEvent(engine, "j", { seq: 2, type: "started", at: T0 });
    expectProblem(a, 409, "seq");
    expect(a.body.expectedSeq).toBe(1);
    expect((await getJob(engine, "j")).status).toBe("scheduled");
    // The right seq still works afterwards.
    expect((await postEvent(engine, "j", started)).status).toBe(200);
  });

  it("answers 409 to a gap in the middle of the stream", async () => {
    const s = await startedJob(engine, "j");
    const a = await postEvent(engine, "j", { seq: 3, type: "progress", at: T0, stats: {} });
    expectProblem(a, 409, "seq");
    expect(a.body.expectedSeq).toBe(2);
    expect(s.seq).toBe(2);
  });

  it.each([
    ["started", { type: "started", at: T0 }],
    ["progress", { type: "progress", at: T0, stats: {} }],
    ["skipped", { type: "skipped", items: [item("late")] }],
    ["finished", { type: "finished", at: "2026-11-27T14:00:00.000Z", outcome: "completed" }],
  ])("answers 409 to a new %s event after finished", async (_, event) => {
    const s = await startedJob(engine, "r", "restore");
    await s.finished({ outcome: "completed", stats: { restored: { items: 1, bytes: 1 } } });
    const a = await s.try(event);
    expectProblem(a, 409);
    const job = await getJob(engine, "r");
    expect(job).toMatchObject({ status: "successful", endedAt: "2026-11-27T13:00:00.000Z" });
    expect(job.stats.skipped).toEqual({ items: 0, bytes: 0 });
  });

  it("answers 409 to events after finished even when their seq skips ahead", async () => {
    const s = await startedJob(engine, "j");
    await s.finished({ outcome: "completed" });
    expectProblem(await postEvent(engine, "j", { seq: 10, type: "started", at: T0 }), 409);
  });

  it("answers 409 to a finished event sent again under a new seq", async () => {
    const s = await startedJob(engine, "bk");
    await s.finished({ outcome: "stopped", reason: "job_aborted" });
    expectProblem(
      await s.try({
        type: "finished",
        at: "2026-11-27T13:00:00.000Z",
        outcome: "stopped",
        reason: "job_aborted",
      }),
      409,
    );
    expect((await send(engine, "GET", "/jobs")).body.jobs).toHaveLength(2);
  });
});

describe("cancelRequested in every answer", () => {
  it("is a boolean in the answer to each kind of event and to resends", async () => {
    await createJob(engine, { id: "r", type: "restore" });
    const s = new Stream(engine, "r");
    const answers = [
      await s.started(),
      await s.progress({ restored: { items: 1, bytes: 1 } }),
      await s.skipped([item("a")]),
      await s.finished({ outcome: "completed" }),
      (await postEvent(engine, "r", started)).body,
    ];
    for (const body of answers) {
      expect(body).toHaveProperty("cancelRequested", false);
      expect(Object.keys(body).sort()).toEqual(["cancelRequested", "job"]);
    }
  });
});
