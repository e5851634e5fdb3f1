import { sql } from "kysely";
import type { DbOrTx } from "../db/database";

// The account's jobs version grows, in the same transaction, with every change that can alter a count, the
// chart or which jobs a search finds: a new job, a new status, a new start time, new search text. Kept in
// the database rather than in memory so that every instance serving the account sees the same number.

export async function jobsChanged(db: DbOrTx, accountId: number): Promise<void> {
  await db
    .updateTable("accounts")
    .set({ jobs_version: sql`jobs_version + 1` })
    .where("id", "=", accountId)
    .execute();
}

/** After counts were rebuilt from scratch (by the CLI, the generator), for every account at once. */
export async function everyAccountsJobsChanged(db: DbOrTx): Promise<void> {
  await db.updateTable("accounts").set({ jobs_version: sql`jobs_version + 1` }).execute();
}

export async function jobsVersion(db: DbOrTx, accountId: number): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select("jobs_version")
    .where("id", "=", accountId)
    .executeTakeFirst();
  return row?.jobs_version ?? 0;
}
