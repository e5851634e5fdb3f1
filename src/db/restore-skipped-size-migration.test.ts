import { afterEach, describe, expect, it } from "vitest";
import { createJob, type Engine, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import { createTestApp } from "../testing/test-app";
import { migrateDown, migrateToLatest } from "./migrate";

// Data migrations, run against jobs recorded through the engine API.

const MIGRATION = "202612021200_restore_skipped_size_with_folders";

describe("the skipped size of restores recorded before it included folders", () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  afterEach(() => t.close());

  const bytes = async (id: string) =>
    (await t.db.selectFrom("jobs").select("skipped_bytes").where("id", "=", id).executeTakeFirstOrThrow())
      .skipped_bytes;

  async function jobWithFolder(engine: Engine, id: string, type: string) {
    await createJob(engine, { id, type });
    const s = new Stream(engine, id);
    await s.started();
    await s.skipped([item("file", { size: 100 }), item("folder", { kind: "folder", size: 5_000 })]);
  }

  it("adds the folders' size for restores and item restores whose items are kept, and leaves backups and purged lists alone", async () => {
    t = await createTestApp();
    const engine = await t.addAccount("SVC-1");
    await putConnector(engine, "c1");
    for (const [id, type] of [
      ["r", "restore"],
      ["ir", "item_restore"],
      ["purged", "restore"],
      ["bk", "backup"],
    ])
      await jobWithFolder(engine, id!, type!);
    expect(await bytes("r")).toBe(5_100);

    // Back to the totals the old rule stored, then one list purged: it keeps the total it has.
    expect(await migrateDown(t.db)).toEqual([MIGRATION]);
    expect([await bytes("r"), await bytes("ir"), await bytes("bk")]).toEqual([100, 100, 100]);
    const purged = await t.db
      .selectFrom("jobs")
      .select("pk")
      .where("id", "=", "purged")
      .executeTakeFirstOrThrow();
    await t.db.deleteFrom("skipped_items").where("job_pk", "=", purged.pk).execute();
    await t.db
      .updateTable("jobs")
      .set({ skipped_purged_at: t.clock.now().toISOString() })
      .where("pk", "=", purged.pk)
      .execute();

    expect(await migrateToLatest(t.db)).toEqual([MIGRATION]);
    expect([await bytes("r"), await bytes("ir"), await bytes("purged"), await bytes("bk")]).toEqual([
      5_100, 5_100, 100, 100,
    ]);
  });
});
