import { DAY } from "../clock";
import type { DbOrTx } from "../db/database";
import { nextTurn } from "../event-loop";

/** When a job's skipped-items report stops being available: the retention period after the job ended. */
export function skippedReportExpiry(endedAt: string | null, retentionDays: number): Date | null {
  return endedAt ? new Date(new Date(endedAt).getTime() + retentionDays * DAY) : null;
}

export function skippedReportExpired(endedAt: string | null, retentionDays: number, now: Date): boolean {
  const expiry = skippedReportExpiry(endedAt, retentionDays);
  return expiry !== null && expiry <= now;
}

/**
 * Deletes the skipped items of jobs that ended longer ago than the retention period, a few jobs at a
 * time so that the web requests in between never wait long. The jobs keep their skipped statistics.
 * Returns how many jobs were purged.
 */
export async function purgeExpiredSkippedItems(
  db: DbOrTx,
  now: Date,
  retentionDays: number,
  batch = 50,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY).toISOString();
  let purged = 0;
  for (;;) {
    const jobs = await db
      .selectFrom("jobs")
      .select("pk")
      .where("ended_at", "<=", cutoff)
      .where("skipped_purged_at", "is", null)
      .where("skipped_items", ">", 0)
      .limit(batch)
      .execute();
    if (jobs.length === 0) return purged;
    for (const { pk } of jobs) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("skipped_items").where("job_pk", "=", pk).execute();
        await trx
          .updateTable("jobs")
          .set({ skipped_purged_at: now.toISOString() })
          .where("pk", "=", pk)
          .execute();
      });
      purged += 1;
      await nextTurn();
    }
  }
}
