import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findJob } from "../jobs/jobs.repository";
import { listSkippedItems } from "../jobs/skipped-items.repository";
import {
  type Engine,
  expectProblem,
  getJob,
  item,
  putConnector,
  type Stream,
  setup,
  startedJob,
  type TestService,
} from "./api-test-helpers";
import { MAX_SKIPPED_BATCH } from "./schemas";

let t: TestService;
let engine: Engine;
let s: Stream;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
  s = await startedJob(engine, "r", "restore");
});
afterEach(() => t.close());

async function storedItems(jobId = "r") {
  const job = await findJob(t.db, engine.account.id, jobId);
  return (await listSkippedItems(t.db, job!.pk, { limit: 100_000 })).items;
}

describe("skipped statistics", () => {
  const withFolder = () => [
    item("f1", { size: 100 }),
    item("f2", { kind: "mail", size: 50 }),
    item("d1", { kind: "folder", size: 999_999 }),
  ];

  it("counts a backup's skipped folders as items but never adds their size to the bytes", async () => {
    const b = await startedJob(engine, "bk", "backup");
    const { job } = await b.skipped(withFolder());
    expect(job.stats.skipped).toEqual({ items: 3, bytes: 150 });
  });

  it.each(["restore", "item_restore"])(
    "counts a %s's skipped folders as items and adds their size too",
    async (type) => {
      const r = await startedJob(engine, `${type}-2`, type);
      const { job } = await r.skipped(withFolder());
      expect(job.stats.skipped).toEqual({ items: 3, bytes: 1_000_149 });
    },
  );

  it("counts an item without a size as zero bytes", async () => {
    const { job } = await s.skipped([item("a", { size: undefined }), item("b", { size: null }), item("c")]);
    expect(job.stats.skipped).toEqual({ items: 3, bytes: 100 });
  });

  it("adds each batch to the totals", async () => {
    await s.skipped([item("a"), item("b")]);
    const { job } = await s.skipped([item("c", { size: 7 })]);
    expect(job.stats.skipped).toEqual({ items: 3, bytes: 207 });
  });

  it("counts a key repeated within one batch once, with the latest report winning", async () => {
    const { job } = await s.skipped([
      item("a", { size: 100, name: "old name" }),
      item("b", { size: 1 }),
      item("a", { size: 300, name: "new name", reason: "bad_request" }),
    ]);
    expect(job.stats.skipped).toEqual({ items: 2, bytes: 301 });
    const stored = await storedItems();
    expect(stored).toHaveLength(2);
    expect(stored.find((i) => i.key === "a")).toMatchObject({
      name: "new name",
      size: 300,
      reason: "bad_request",
    });
  });

  it("counts a key reported again in a later batch once, reflecting its new size", async () => {
    await s.skipped([item("a", { size: 100 }), item("b", { size: 10 })]);
    const { job } = await s.skipped([item("a", { size: 40, name: "renamed", path: "/x/renamed" })]);
    expect(job.stats.skipped).toEqual({ items: 2, bytes: 50 });
    expect((await storedItems()).find((i) => i.key === "a")).toMatchObject({
      name: "renamed",
      path: "/x/renamed",
      size: 40,
    });
  });

  it("drops a backup item's bytes when a later report says it is a folder, and adds them back when it is not", async () => {
    const b = await startedJob(engine, "bk", "backup");
    await b.skipped([item("a", { size: 100 })]);
    expect((await b.skipped([item("a", { kind: "folder", size: 100 })])).job.stats.skipped).toEqual({
      items: 1,
      bytes: 0,
    });
    expect((await b.skipped([item("a", { kind: "file", size: 60 })])).job.stats.skipped).toEqual({
      items: 1,
      bytes: 60,
    });
  });

  it("keeps a restore item's bytes when a later report says it is a folder of another size", async () => {
    await s.skipped([item("a", { size: 100 })]);
    expect((await s.skipped([item("a", { kind: "folder", size: 70 })])).job.stats.skipped).toEqual({
      items: 1,
      bytes: 70,
    });
  });

  it("handles new and repeated keys mixed in one batch", async () => {
    const b = await startedJob(engine, "bk", "backup");
    for (const job of [s, b]) {
      await job.skipped([item("a", { size: 10 }), item("b", { size: 20 })]);
    }
    const batch = [
      item("b", { size: 25 }),
      item("c", { size: 30 }),
      item("c", { size: 35 }),
      item("d", { kind: "folder", size: 1000 }),
    ];
    expect((await s.skipped(batch)).job.stats.skipped).toEqual({ items: 4, bytes: 10 + 25 + 35 + 1000 });
    expect((await b.skipped(batch)).job.stats.skipped).toEqual({ items: 4, bytes: 10 + 25 + 35 });
    expect((await storedItems()).map((i) => i.key)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the service's skipped totals in the finished job", async () => {
    await s.skipped([item("a"), item("d", { kind: "folder", size: 40 })]);
    const { job } = await s.finished({ outcome: "completed", stats: { restored: { items: 1, bytes: 1 } } });
    expect(job.stats.skipped).toEqual({ items: 2, bytes: 140 });
    expect((await getJob(engine, "r")).stats.skipped).toEqual({ items: 2, bytes: 140 });
  });

  it("keeps each job's items apart: the same key in two jobs counts in both", async () => {
    await s.skipped([item("shared")]);
    const other = await startedJob(engine, "r2", "restore");
    const { job } = await other.skipped([item("shared")]);
    expect(job.stats.skipped).toEqual({ items: 1, bytes: 100 });
    expect((await getJob(engine, "r")).stats.skipped).toEqual({ items: 1, bytes: 100 });
  });

  it("records the skipped items of a backup too", async () => {
    const b = await startedJob(engine, "bk", "backup");
    const { job } = await b.skipped([item("x", { kind: "record", reason: "api_error" })]);
    expect(job.stats.skipped).toEqual({ items: 1, bytes: 100 });
  });
});

describe("skipped batch limits", () => {
  const batch = (n: number, prefix = "k") =>
    Array.from({ length: n }, (_, i) => item(`${prefix}${String(i).padStart(5, "0")}`, { size: 1 }));

  it(`accepts a batch of exactly ${MAX_SKIPPED_BATCH.toLocaleString("en-US")} items`, async () => {
    expect(MAX_SKIPPED_BATCH).toBe(10_000);
    const { job } = await s.skipped(batch(10_000));
    expect(job.stats.skipped).toEqual({ items: 10_000, bytes: 10_000 });
    expect(await storedItems()).toHaveLength(10_000);
  });

  it("answers 400 naming items to a batch of 10,001 items, and stores none of them", async () => {
    const a = await s.try({ type: "skipped", items: batch(10_001) });
    expectProblem(a, 400, "items");
    expect((await getJob(engine, "r")).stats.skipped).toEqual({ items: 0, bytes: 0 });
    expect(await storedItems()).toHaveLength(0);
  });

  it("answers 400 naming items to an empty batch", async () => {
    expectProblem(await s.try({ type: "skipped", items: [] }), 400, "items");
  });

  it("answers 400 naming items when items is missing or not a list", async () => {
    expectProblem(await s.try({ type: "skipped" }), 400, "items");
    expectProblem(await s.try({ type: "skipped", items: { key: "a" } }), 400, "items");
  });

  it("answers 400 naming the bad item's field, and stores none of the batch", async () => {
    const a = await s.try({ type: "skipped", items: [item("ok"), item("bad", { kind: "spreadsheet" })] });
    expectProblem(a, 400, "items.1.kind");
    expect(await storedItems()).toHaveLength(0);
  });

  it("answers 400 to a skipped batch for a download job, which has no skipped items", async () => {
    const d = await startedJob(engine, "d", "pst_download");
    expectProblem(await d.try({ type: "skipped", items: [item("a")] }), 400, "items");
    expect((await getJob(engine, "d")).stats.skipped).toEqual({ items: 0, bytes: 0 });
  });
});
