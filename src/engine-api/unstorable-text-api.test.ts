import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDownTo, migrateToLatest } from "../db/migrate";
import { addSkippedItems } from "../jobs/skipped-items.repository";
import {
  createJob,
  type Engine,
  expectProblem,
  getJob,
  item,
  putConnector,
  send,
  setup,
  startedJob,
  type TestService,
} from "./api-test-helpers";

// Text that cannot round-trip through the store (issue 14 §3). JSON may carry lone UTF-16 surrogates
// ("\ud800"); SQLite stored U+FFFD for them, so two skipped items became one stored row, the job ended
// Successful with 0 skipped while its list showed 2, and re-reporting one made the skipped bytes
// negative. Such strings (and NUL) are refused with 400 naming the field, in every string field, and
// the store refuses negative statistics whatever path a write takes.

let t: TestService;
let engine: Engine;
afterEach(() => t?.close());

async function service() {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
}

describe("the example from the issue", () => {
  it("refuses two skipped items whose keys hold lone surrogates, so the counts stay right", async () => {
    await service();
    const s = await startedJob(engine, "b1");
    const refused = await s.try({
      type: "skipped",
      items: [item("mail-\uD800", { size: 500 }), item("mail-\uD801", { size: 700 })],
    });
    expectProblem(refused, 400, "items.0.key");
    expect(refused.body.detail).toContain("lone surrogate");
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      "items.0.key",
      "items.0.name",
      "items.1.key",
      "items.1.name",
    ]);
    // Nothing of the batch was stored, and the engine may send the corrected batch under the same seq.
    expect((await getJob(engine, "b1")).stats.skipped).toEqual({ items: 0, bytes: 0 });
    await s.skipped([item("mail-\uFFFD-1", { size: 500 }), item("mail-\uFFFD-2", { size: 700 })]);
    const reported = await s.try({ type: "skipped", items: [item("mail-\uD800", { size: 100 })] });
    expectProblem(reported, 400, "items.0.key");
    const done = await s.finished({ outcome: "completed" });
    expect(done.job.stats.skipped).toEqual({ items: 2, bytes: 1200 });
    const rows = await t.db.selectFrom("skipped_items").select("key").orderBy("key").execute();
    expect(rows.map((r) => r.key)).toEqual(["mail-\uFFFD-1", "mail-\uFFFD-2"]);
  });

  it("accepts text with proper surrogate pairs (emoji, rare scripts) and keeps it exactly", async () => {
    await service();
    const s = await startedJob(engine, "b1");
    const key = "Fotos 📷 𠀀/IMG 1.jpg";
    await s.skipped([item(key, { name: key, path: `/${key}` })]);
    await s.skipped([item(key, { name: key, size: 300 })]);
    const row = await t.db.selectFrom("skipped_items").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ key, name: key, size: 300 });
    expect((await getJob(engine, "b1")).stats.skipped).toEqual({ items: 1, bytes: 300 });
  });
});

/** Every string leaf of a body, with its dotted field path. */
function stringFields(value: unknown, path: string[] = []): string[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringFields(v, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => stringFields(v, [...path, k]));
  }
  return [];
}

function withValue(body: unknown, path: string[], value: string): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]!] = `${at[path[path.length - 1]!]}${value}`;
  return copy;
}

describe("every string field of every engine body", () => {
  const bodies: [string, () => Promise<{ method: string; path: string; body: unknown }>][] = [
    [
      "a connector",
      async () => ({ method: "PUT", path: "/connectors/c9", body: { name: "Mail", kind: "microsoft_365" } }),
    ],
    [
      "a job",
      async () => ({
        method: "POST",
        path: "/jobs",
        body: {
          id: "j9",
          connectorId: "c1",
          type: "backup",
          description: "Nightly",
          scheduledAt: "2026-11-28T01:00:00Z",
        },
      }),
    ],
    [
      "a skipped event",
      async () => {
        await startedJob(engine, "b1");
        return {
          method: "POST",
          path: "/jobs/b1/events",
          body: { seq: 2, type: "skipped", items: [item("k1", { path: "/Inbox/k1" })] },
        };
      },
    ],
    [
      "a finished backup",
      async () => {
        await startedJob(engine, "b1");
        return {
          method: "POST",
          path: "/jobs/b1/events",
          body: {
            seq: 2,
            type: "finished",
            at: "2026-11-27T13:00:00Z",
            outcome: "failed",
            reason: "job_aborted",
            snapshot: { id: "snap-1", partial: true },
          },
        };
      },
    ],
    [
      "a finished download",
      async () => {
        await startedJob(engine, "d1", "zip_download");
        return {
          method: "POST",
          path: "/jobs/d1/events",
          body: {
            seq: 2,
            type: "finished",
            at: "2026-11-27T13:00:00Z",
            outcome: "completed",
            artifact: {
              url: "https://files.example.com/d1.zip",
              expiresAt: "2026-11-30T00:00:00Z",
              bytes: 10,
            },
          },
        };
      },
    ],
  ];

  it.each(bodies)(
    "refuses a lone surrogate or NUL in each string field of %s, naming it",
    async (_, make) => {
      await service();
      const { method, path, body } = await make();
      const fields = stringFields(body);
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) {
        for (const bad of ["\uD83D", "\uDC4D", "\u0000"]) {
          const a = await send(engine, method, path, withValue(body, field, bad));
          expectProblem(a, 400, field.join("."));
        }
      }
      // The same body, untouched, is accepted: the refusals were for the text alone.
      const ok = await send(engine, method, path, body);
      expect([200, 201], JSON.stringify(ok.body)).toContain(ok.status);
    },
  );
});

describe("statistics are never negative", () => {
  it("the database refuses a negative statistic or job count, whatever writes it", async () => {
    await service();
    await createJob(engine, { id: "b1" });
    for (const column of [
      "skipped_items",
      "skipped_bytes",
      "added_bytes",
      "restored_items",
      "last_seq",
    ] as const) {
      await expect(
        t.db
          .updateTable("jobs")
          .set({ [column]: -1 })
          .where("id", "=", "b1")
          .execute(),
        column,
      ).rejects.toThrow(/CHECK constraint failed/);
    }
    await expect(t.db.updateTable("job_counts").set({ jobs: -1 }).execute()).rejects.toThrow(
      /CHECK constraint failed/,
    );
  });

  it("the store asserts before it writes text that would not come back the same", async () => {
    await service();
    const job = await createJob(engine, { id: "b1" });
    const row = await t.db
      .selectFrom("jobs")
      .select(["pk", "type"])
      .where("id", "=", job.id)
      .executeTakeFirstOrThrow();
    await expect(
      addSkippedItems(t.db, { pk: row.pk, type: "backup" }, [
        { key: "a\uD800", name: "a", kind: "file", size: 1, reason: "throttled" },
      ]),
    ).rejects.toThrow(/lone surrogate/);
  });

  it("the migration repairs counts already hurt, and can be undone", async () => {
    await service();
    const s = await startedJob(engine, "b1");
    await s.skipped([
      item("k1", { size: 500 }),
      item("k2", { size: 700 }),
      item("dir", { kind: "folder", size: 9 }),
    ]);
    await createJob(engine, { id: "b2" });
    // Back to just before the constraint (later migrations go down with it).
    await migrateDownTo(t.db, "202612021000_session_cancel_attempts");
    // What the surrogate bug left behind, written while the constraint is down.
    await t.db
      .updateTable("jobs")
      .set({ skipped_items: 1, skipped_bytes: -700 })
      .where("id", "=", "b1")
      .execute();
    await t.db.updateTable("jobs").set({ added_bytes: -5 }).where("id", "=", "b2").execute();
    await migrateToLatest(t.db);
    const rows = await t.db
      .selectFrom("jobs")
      .select(["id", "skipped_items", "skipped_bytes", "added_bytes"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: "b1", skipped_items: 3, skipped_bytes: 1200, added_bytes: 0 },
      { id: "b2", skipped_items: 0, skipped_bytes: 0, added_bytes: 0 },
    ]);
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(t.db);
    expect(integrity.rows).toEqual([{ integrity_check: "ok" }]);
    // Nothing lost on the way: the job's events and items are still its own.
    expect(await t.db.selectFrom("skipped_items").select("key").execute()).toHaveLength(3);
    expect(await t.db.selectFrom("job_events").select("seq").execute()).toHaveLength(2);
    await s.finished({ outcome: "completed" });
  });
});
