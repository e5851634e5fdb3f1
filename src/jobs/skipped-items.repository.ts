import type { DbOrTx, SkippedItemRow } from "../db/database";
import { assertStorableText } from "../db/text";
import { nextTurn } from "../event-loop";
import { countsSkippedBytes } from "./rules";
import type { ItemKind, JobType, SkipReason } from "./vocabulary";

export type SkippedItemInput = {
  key: string;
  name: string;
  path?: string | null | undefined;
  kind: ItemKind;
  size?: number | null | undefined;
  reason: SkipReason;
};

export type SkippedItem = {
  key: string;
  name: string;
  path: string | null;
  kind: ItemKind;
  size: number | null;
  reason: SkipReason;
};

const toItem = (r: Omit<SkippedItemRow, "job_pk">): SkippedItem => ({
  key: r.key,
  name: r.name,
  path: r.path,
  kind: r.kind as ItemKind,
  size: r.size,
  reason: r.reason as SkipReason,
});

// SQLite allows 32,766 bound values a statement; 7 columns × 4,000 rows stays under it.
const INSERT_CHUNK = 4000;
const LOOKUP_CHUNK = 900;

const contribution = (type: JobType, item: { kind: string; size: number | null }) => ({
  items: 1,
  bytes: countsSkippedBytes(item.kind as ItemKind, type) ? (item.size ?? 0) : 0,
});

/**
 * Stores a batch of skipped items and returns how much the job's skipped statistic changes. A key seen
 * before (in this batch or an earlier one) counts once: the latest report of it replaces the earlier.
 */
export async function addSkippedItems(
  db: DbOrTx,
  job: { pk: number; type: JobType },
  items: readonly SkippedItemInput[],
): Promise<{ items: number; bytes: number }> {
  const jobPk = job.pk;
  const latest = new Map<string, SkippedItemInput>();
  for (const item of items) {
    // Keys are compared here as JavaScript strings and in the store as stored ones: they must be the same.
    assertStorableText(item.key, "a skipped item's key");
    assertStorableText(item.name, "a skipped item's name");
    if (item.path) assertStorableText(item.path, "a skipped item's path");
    latest.delete(item.key);
    latest.set(item.key, item);
  }
  const rows = [...latest.values()].map((i) => ({
    job_pk: jobPk,
    key: i.key,
    name: i.name,
    path: i.path ?? null,
    kind: i.kind,
    size: i.size ?? null,
    reason: i.reason,
  }));

  const delta = { items: 0, bytes: 0 };
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const done = await db
      .insertInto("skipped_items")
      .values(chunk)
      .onConflict((oc) => oc.columns(["job_pk", "key"]).doNothing())
      .returning("key")
      .execute();
    for (const { key } of done) inserted.add(key);
  }
  for (const row of rows) {
    if (!inserted.has(row.key)) continue;
    const c = contribution(job.type, row);
    delta.items += c.items;
    delta.bytes += c.bytes;
  }

  // Items reported again: rare, so they take the slow path of reading the old row and replacing it.
  const again = rows.filter((r) => !inserted.has(r.key));
  for (let i = 0; i < again.length; i += LOOKUP_CHUNK) {
    const chunk = again.slice(i, i + LOOKUP_CHUNK);
    const old = await db
      .selectFrom("skipped_items")
      .select(["key", "kind", "size"])
      .where("job_pk", "=", jobPk)
      .where(
        "key",
        "in",
        chunk.map((r) => r.key),
      )
      .execute();
    for (const previous of old) delta.bytes -= contribution(job.type, previous).bytes;
    for (const row of chunk) {
      delta.bytes += contribution(job.type, row).bytes;
      await db
        .updateTable("skipped_items")
        .set({ name: row.name, path: row.path, kind: row.kind, size: row.size, reason: row.reason })
        .where("job_pk", "=", jobPk)
        .where("key", "=", row.key)
        .execute();
    }
  }
  return delta;
}

export type SkippedPage = { items: SkippedItem[]; nextKey: string | null };

/** One page of a job's skipped items in key order, optionally of one reason. */
export async function listSkippedItems(
  db: DbOrTx,
  jobPk: number,
  options: { reason?: SkipReason | null; afterKey?: string | null; limit: number },
): Promise<SkippedPage> {
  let q = db
    .selectFrom("skipped_items")
    .select(["key", "name", "path", "kind", "size", "reason"])
    .where("job_pk", "=", jobPk)
    .orderBy("key")
    .limit(options.limit + 1);
  if (options.reason) q = q.where("reason", "=", options.reason);
  if (options.afterKey) q = q.where("key", ">", options.afterKey);
  const rows = await q.execute();
  const items = rows.slice(0, options.limit).map(toItem);
  return { items, nextKey: rows.length > options.limit ? items[items.length - 1]!.key : null };
}

/** How many of a job's skipped items have each reason. */
export async function countSkippedByReason(db: DbOrTx, jobPk: number): Promise<Map<SkipReason, number>> {
  const rows = await db
    .selectFrom("skipped_items")
    .select(["reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("job_pk", "=", jobPk)
    .groupBy("reason")
    .execute();
  return new Map(rows.map((r) => [r.reason as SkipReason, Number(r.n)]));
}

/** Every skipped item of a job, read in short chunks so that a long download never holds the database. */
export async function* iterateSkippedItems(
  db: DbOrTx,
  jobPk: number,
  chunk = 1000,
): AsyncGenerator<SkippedItem[]> {
  let afterKey: string | null = null;
  for (;;) {
    const page: SkippedPage = await listSkippedItems(db, jobPk, { afterKey, limit: chunk });
    if (page.items.length) yield page.items;
    if (!page.nextKey) return;
    afterKey = page.nextKey;
    await nextTurn();
  }
}
