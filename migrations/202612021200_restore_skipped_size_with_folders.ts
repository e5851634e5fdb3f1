import { type Kysely, sql } from "kysely";

// PRODUCT.md §2 as corrected in issue 13: a restore's or item restore's skipped size includes folders
// (a backup's still counts items only). Jobs recorded before kept their folders out of the total; this
// adds them back wherever the items are still kept. Jobs whose lists were purged keep the total they had.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update jobs set skipped_bytes =
      (select coalesce(sum(s.size), 0) from skipped_items s where s.job_pk = jobs.pk)
    where type in ('restore', 'item_restore') and skipped_items > 0 and skipped_purged_at is null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update jobs set skipped_bytes =
      (select coalesce(sum(case when s.kind = 'folder' then 0 else s.size end), 0)
       from skipped_items s where s.job_pk = jobs.pk)
    where type in ('restore', 'item_restore') and skipped_items > 0 and skipped_purged_at is null
  `.execute(db);
}
