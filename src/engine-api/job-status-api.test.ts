import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createJob,
  type Engine,
  getJob,
  item,
  putConnector,
  Stream,
  send,
  setup,
  startedJob,
  type TestService,
} from "./api-test-helpers";

// The status table of PRODUCT.md §2, driven through the engine API: the engine reports an outcome and
// statistics, the service derives the status (and, for skipped items, the reason).

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
});
afterEach(() => t.close());

const ENDED = "2026-11-27T13:00:00.000Z";

describe("backup status", () => {
  it("is successful when the engine completes, with skipped items and changes", async () => {
    const s = await startedJob(engine, "bk", "backup");
    await s.progress({ added: { items: 10, bytes: 1000 }, removed: { items: 2, bytes: 20 } });
    await s.skipped([item("a"), item("b")]);
    const { job } = await s.finished({ outcome: "completed", snapshot: { id: "snap-1", partial: false } });
    expect(job).toMatchObject({ status: "successful", reason: null, endedAt: ENDED });
    expect(job.stats.skipped).toEqual({ items: 2, bytes: 200 });
  });

  it("is successful with 0 items and 0 bytes when nothing changed", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "completed" });
    expect(job.status).toBe("successful");
    expect(job.stats.added).toEqual({ items: 0, bytes: 0 });
    expect(job.stats.removed).toEqual({ items: 0, bytes: 0 });
  });

  it("is unsuccessful with all_items_skipped when it completes with nothing added or removed but items skipped", async () => {
    const s = await startedJob(engine, "bk", "backup");
    await s.skipped([item("a"), item("b", { kind: "folder" })]);
    const { job } = await s.finished({
      outcome: "completed",
      stats: { added: { items: 0, bytes: 0 }, removed: { items: 0, bytes: 0 } },
    });
    expect(job).toMatchObject({ status: "unsuccessful", reason: "all_items_skipped", followUpJobId: null });
    expect(job.stats.skipped).toEqual({ items: 2, bytes: 100 });
    const list = await send(engine, "GET", "/jobs?status=unsuccessful&q=all_items_skipped");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(["bk"]);
  });

  it("is successful when it completes having only removed items, with items skipped", async () => {
    const s = await startedJob(engine, "bk", "backup");
    await s.skipped([item("a")]);
    const { job } = await s.finished({
      outcome: "completed",
      stats: { removed: { items: 3, bytes: 30 } },
    });
    expect(job).toMatchObject({ status: "successful", reason: null });
  });

  it("is unsuccessful when the engine reports failed, keeping the engine's reason", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "failed", reason: "authentication_failed" });
    expect(job).toMatchObject({
      status: "unsuccessful",
      reason: "authentication_failed",
      followUpJobId: null,
    });
  });

  it("is unsuccessful when it fails before it ever started", async () => {
    await createJob(engine, { id: "bk" });
    const { job } = await new Stream(engine, "bk").finished({
      outcome: "failed",
      reason: "tenant_not_found",
    });
    expect(job).toMatchObject({ status: "unsuccessful", startedAt: null, endedAt: ENDED });
  });

  it("is incomplete when the engine reports stopped, even though it backed up items", async () => {
    const s = await startedJob(engine, "bk", "backup");
    await s.progress({ added: { items: 50, bytes: 5000 } });
    const { job } = await s.finished({
      outcome: "stopped",
      reason: "api_limit_reached",
      snapshot: { id: "snap-p", partial: true },
    });
    expect(job).toMatchObject({ status: "incomplete", reason: "api_limit_reached" });
    expect(job.snapshot).toEqual({ id: "snap-p", partial: true });
  });

  it("records whether a stopped backup left a partial snapshot or none", async () => {
    const none = await startedJob(engine, "bk-none", "backup");
    expect((await none.finished({ outcome: "stopped", reason: "incident" })).job.snapshot).toBeNull();
    const full = await startedJob(engine, "bk-full", "backup");
    const done = await full.finished({ outcome: "completed", snapshot: { id: "s-9", partial: false } });
    expect(done.job.snapshot).toEqual({ id: "s-9", partial: false });
  });

  it("is cancelled when the engine reports cancelled", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "cancelled" });
    expect(job).toMatchObject({ status: "cancelled", reason: null, cancelRequested: false });
  });

  it("is cancelled with service_interrupted when the service stopped it for an update", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "cancelled", reason: "service_interrupted" });
    expect(job).toMatchObject({ status: "cancelled", reason: "service_interrupted", followUpJobId: null });
  });
});

describe.each(["restore", "item_restore"])("%s status", (type) => {
  const restored = (items: number) => ({ restored: { items, bytes: items * 10 } });

  it("is successful when it completes with every item restored", async () => {
    const s = await startedJob(engine, "r", type);
    const { job } = await s.finished({ outcome: "completed", stats: restored(7) });
    expect(job).toMatchObject({ status: "successful", reason: null });
    expect(job.stats.restored).toEqual({ items: 7, bytes: 70 });
  });

  it("is incomplete with items_skipped when some items are skipped and at least one restored", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(1));
    await s.skipped([item("x")]);
    const { job } = await s.finished({ outcome: "completed" });
    expect(job).toMatchObject({ status: "incomplete", reason: "items_skipped" });
  });

  it("counts overwritten items as restored: some skipped and one overwritten is incomplete", async () => {
    const s = await startedJob(engine, "r", type);
    await s.skipped([item("x")]);
    const { job } = await s.finished({
      outcome: "completed",
      stats: { restored: { items: 0, bytes: 0 }, overwritten: { items: 1, bytes: 5 } },
    });
    expect(job).toMatchObject({ status: "incomplete", reason: "items_skipped" });
  });

  it("is unsuccessful with all_items_skipped when it completes with every item skipped", async () => {
    const s = await startedJob(engine, "r", type);
    await s.skipped([item("x"), item("y", { kind: "folder" })]);
    const { job } = await s.finished({ outcome: "completed" });
    expect(job).toMatchObject({ status: "unsuccessful", reason: "all_items_skipped" });
  });

  it("is successful when it completes with nothing to write and nothing skipped", async () => {
    const s = await startedJob(engine, "r", type);
    const { job } = await s.finished({ outcome: "completed" });
    expect(job).toMatchObject({ status: "successful", reason: null });
  });

  it("is unsuccessful when the engine reports failed, even with items restored", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(3));
    const { job } = await s.finished({ outcome: "failed", reason: "internal_error" });
    expect(job).toMatchObject({ status: "unsuccessful", reason: "internal_error" });
  });

  it("is incomplete when it stopped after restoring something", async () => {
    const s = await startedJob(engine, "r", type);
    const { job } = await s.finished({ outcome: "stopped", reason: "incident", stats: restored(2) });
    expect(job).toMatchObject({ status: "incomplete", reason: "incident" });
  });

  it("is incomplete when it stopped after overwriting something", async () => {
    const s = await startedJob(engine, "r", type);
    const { job } = await s.finished({
      outcome: "stopped",
      reason: "incident",
      stats: { overwritten: { items: 1, bytes: 1 } },
    });
    expect(job.status).toBe("incomplete");
  });

  it("is unsuccessful when it stopped before restoring anything", async () => {
    const s = await startedJob(engine, "r", type);
    const { job } = await s.finished({ outcome: "stopped", reason: "incident" });
    expect(job).toMatchObject({ status: "unsuccessful", reason: "incident" });
  });

  it("is cancelled when the engine reports cancelled, whatever was restored", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(4));
    await s.skipped([item("x")]);
    const { job } = await s.finished({ outcome: "cancelled" });
    expect(job).toMatchObject({ status: "cancelled", reason: null });
  });

  it("keeps the engine's reason over the derived one when items were skipped", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(1));
    await s.skipped([item("x")]);
    const { job } = await s.finished({ outcome: "stopped", reason: "authorization_error" });
    expect(job).toMatchObject({ status: "incomplete", reason: "authorization_error" });
  });

  it("names skipped items when it stopped with some restored and no reason from the engine", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(1));
    await s.skipped([item("x")]);
    const { job } = await s.finished({ outcome: "stopped" });
    expect(job).toMatchObject({ status: "incomplete", reason: "items_skipped" });
  });

  it("derives the status from the finished event's statistics, which replace the earlier ones", async () => {
    const s = await startedJob(engine, "r", type);
    await s.progress(restored(5));
    const { job } = await s.finished({ outcome: "stopped", stats: restored(0) });
    expect(job.status).toBe("unsuccessful");
    expect(job.stats.restored).toEqual({ items: 0, bytes: 0 });
  });
});

describe.each(["pst_download", "zip_download"])("%s status", (type) => {
  it("is successful when it completes, offering the file until it expires", async () => {
    const s = await startedJob(engine, "d", type);
    const artifact = {
      url: "https://files.example.com/a.bin",
      expiresAt: "2026-12-04T13:00:00.000Z",
      bytes: 1234,
    };
    const { job } = await s.finished({ outcome: "completed", artifact });
    expect(job).toMatchObject({ status: "successful", reason: null });
    expect(job.artifact).toEqual(artifact);
  });

  it.each(["failed", "stopped"])("is unsuccessful when the engine reports %s", async (outcome) => {
    const s = await startedJob(engine, "d", type);
    const { job } = await s.finished({ outcome, reason: "internal_error" });
    expect(job).toMatchObject({ status: "unsuccessful", reason: "internal_error" });
  });

  it.each(["failed", "stopped"])(
    "is unsuccessful with the generic reason internal_error when the engine reports %s without a reason",
    async (outcome) => {
      const s = await startedJob(engine, "d", type);
      const { job } = await s.finished({ outcome });
      expect(job).toMatchObject({ status: "unsuccessful", reason: "internal_error" });
    },
  );

  it("is cancelled when the engine reports cancelled", async () => {
    const s = await startedJob(engine, "d", type);
    const { job } = await s.finished({ outcome: "cancelled" });
    expect(job).toMatchObject({ status: "cancelled", reason: null });
  });
});

describe("status as the API reports it", () => {
  it("keeps the derived status and reason in GET /jobs/:id and in the list filtered by status", async () => {
    const s = await startedJob(engine, "r", "restore");
    await s.progress({ restored: { items: 1, bytes: 1 } });
    await s.skipped([item("x")]);
    await s.finished({ outcome: "completed" });
    expect(await getJob(engine, "r")).toMatchObject({ status: "incomplete", reason: "items_skipped" });
    const list = await send(engine, "GET", "/jobs?status=incomplete");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(["r"]);
    expect((await send(engine, "GET", "/jobs?status=successful")).body.jobs).toEqual([]);
  });

  it("finds a job by the derived reason in free text", async () => {
    const s = await startedJob(engine, "r", "restore");
    await s.skipped([item("x")]);
    await s.finished({ outcome: "completed" });
    const list = await send(engine, "GET", "/jobs?q=all_items_skipped");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(["r"]);
  });
});

describe("follow-up jobs", () => {
  it("schedules a new backup after job_aborted, visible as scheduled through GET", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "stopped", reason: "job_aborted" });
    expect(job.followUpJobId).toEqual(expect.any(String));
    const followUp = await getJob(engine, job.followUpJobId);
    expect(followUp).toMatchObject({
      status: "scheduled",
      type: "backup",
      connectorId: "c1",
      description: job.description,
      scheduledAt: "2026-11-27T13:15:00.000Z",
      startedAt: null,
      followUpJobId: null,
    });
    expect(await getJob(engine, "bk")).toMatchObject({ followUpJobId: job.followUpJobId });
    const list = await send(engine, "GET", "/jobs?status=scheduled");
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual([job.followUpJobId]);
  });

  it("schedules a new restore after job_aborted", async () => {
    const s = await startedJob(engine, "r", "restore");
    const { job } = await s.finished({ outcome: "stopped", reason: "job_aborted" });
    expect(job.followUpJobId).toEqual(expect.any(String));
    expect(await getJob(engine, job.followUpJobId)).toMatchObject({ status: "scheduled", type: "restore" });
  });

  it("schedules a new item restore after job_aborted (item restores follow the restore rules)", async () => {
    const s = await startedJob(engine, "ir", "item_restore");
    const { job } = await s.finished({ outcome: "failed", reason: "job_aborted" });
    expect(await getJob(engine, job.followUpJobId)).toMatchObject({
      status: "scheduled",
      type: "item_restore",
    });
  });

  it("schedules a new backup after authorization_server_unavailable", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "failed", reason: "authorization_server_unavailable" });
    expect(job.followUpJobId).toEqual(expect.any(String));
    const followUp = await getJob(engine, job.followUpJobId);
    expect(followUp).toMatchObject({ status: "scheduled", type: "backup" });
    expect(Date.parse(followUp.scheduledAt ?? "")).toBeGreaterThan(Date.parse(ENDED));
  });

  it("does not schedule a new restore after authorization_server_unavailable", async () => {
    const s = await startedJob(engine, "r", "restore");
    const { job } = await s.finished({ outcome: "failed", reason: "authorization_server_unavailable" });
    expect(job.followUpJobId).toBeNull();
    expect((await send(engine, "GET", "/jobs")).body.jobs).toHaveLength(1);
  });

  it.each([
    ["backup", "internal_error"],
    ["backup", "authentication_failed"],
    ["pst_download", "job_aborted"],
    ["zip_download", "authorization_server_unavailable"],
  ])("does not schedule a new %s after %s", async (type, reason) => {
    const s = await startedJob(engine, "j", type);
    const { job } = await s.finished({ outcome: "failed", reason });
    expect(job.followUpJobId).toBeNull();
    expect((await send(engine, "GET", "/jobs")).body.jobs).toHaveLength(1);
  });

  it("lets the engine run the follow-up job like any other", async () => {
    const s = await startedJob(engine, "bk", "backup");
    const { job } = await s.finished({ outcome: "stopped", reason: "job_aborted" });
    const next = new Stream(engine, job.followUpJobId!);
    await next.started("2026-11-27T13:15:00.000Z");
    const done = await next.finished({ outcome: "completed" }, "2026-11-27T13:30:00.000Z");
    expect(done.job).toMatchObject({ id: job.followUpJobId, status: "successful" });
  });

  it("gives each follow-up its own ID when a retried job is aborted again", async () => {
    const first = await startedJob(engine, "bk", "backup");
    const a = (await first.finished({ outcome: "stopped", reason: "job_aborted" })).job.followUpJobId;
    const second = new Stream(engine, a!);
    await second.started("2026-11-27T13:15:00.000Z");
    const b = (
      await second.finished({ outcome: "stopped", reason: "job_aborted" }, "2026-11-27T13:20:00.000Z")
    ).job.followUpJobId;
    expect(b).toEqual(expect.any(String));
    expect(b).not.toBe(a);
    expect((await send(engine, "GET", "/jobs")).body.jobs).toHaveLength(3);
  });
});
