import type { DbOrTx } from "../db/database";

// A job's place in the list as one integer: the second of its start (or scheduled) time since 2000,
// times 2^21, plus the low bits of its pk to tell apart jobs of the same second. Newer jobs have larger
// keys, so one index on (account, sort_key) orders the list, a keyset is a single comparison, and the
// free-text index, whose rowid is this key, returns matches already in list order. Keys stay below 2^53
// (exact in JavaScript) until the year 2136.

const EPOCH_SECONDS = 946_684_800; // 2000-01-01T00:00:00Z
const SLOTS = 2 ** 21;

/** The smallest key a job starting in the same second as `iso` can have. */
export function sortKeyFloor(iso: string): number {
  return (Math.floor(new Date(iso).getTime() / 1000) - EPOCH_SECONDS) * SLOTS;
}

/** The first key of the second after `iso`'s, i.e. one past the largest key of its second. */
export function sortKeyCeiling(iso: string): number {
  return sortKeyFloor(iso) + SLOTS;
}

/**
 * Picks a free key for a job and stores it. Two jobs of the same second whose pks share their low bits
 * take the next free slot of that second, so a key never leaves its second.
 */
export async function assignSortKey(db: DbOrTx, job: { pk: number; sortAt: string }): Promise<number> {
  const floor = sortKeyFloor(job.sortAt);
  let key = floor + (job.pk % SLOTS);
  for (let i = 1; ; i += 1) {
    const taken = await db.selectFrom("jobs").select("pk").where("sort_key", "=", key).executeTakeFirst();
    if (!taken || taken.pk === job.pk) break;
    key = floor + ((job.pk + i) % SLOTS);
  }
  await db.updateTable("jobs").set({ sort_key: key }).where("pk", "=", job.pk).execute();
  return key;
}

/** The key a bulk load gives a job whose pk is unique within the second (no collisions to probe). */
export function sortKeyOf(sortAt: string, pk: number): number {
  return sortKeyFloor(sortAt) + (pk % SLOTS);
}
