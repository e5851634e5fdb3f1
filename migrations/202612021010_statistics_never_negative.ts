import { type Kysely, sql } from "kysely";
import { isSqlite, rebuildTable, tableDefinition } from "../src/db/sqlite";

// Statistics never go below zero: a job's item and byte counts, its event sequence and file size, and
// the per-period job counts. The store asserts it before every write (src/jobs/job-lifecycle.ts); these
// CHECK constraints make the database refuse it too, whatever path a write takes.
//
// A lone UTF-16 surrogate in a skipped item's key once made two items one stored row and a re-report
// subtract bytes that had never been added; rows already hurt that way are repaired first: the skipped
// count and bytes recounted from the items (while the job still has them), anything else below zero
// set to zero.

const JOB_STATS = [
  "added_items",
  "added_bytes",
  "removed_items",
  "removed_bytes",
  "restored_items",
  "restored_bytes",
  "overwritten_items",
  "overwritten_bytes",
  "skipped_items",
  "skipped_bytes",
  "last_seq",
  "artifact_bytes",
];

const JOBS_CHECK = "jobs_statistics_not_negative";
const COUNTS_CHECK = "job_counts_not_negative";
const jobsCondition = JOB_STATS.map((c) => `"${c}" >= 0`).join(" and ");
const countsCondition = `"jobs" >= 0`;

// Bytes counted for a skipped item: as in countsSkippedBytes (src/jobs/rules.ts), folders count none.
const COUNTED_SIZE = `case when kind = 'folder' then 0 else coalesce(size, 0) end`;

async function repairJobs(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
    update jobs set
      skipped_items = (select count(*) from skipped_items s where s.job_pk = jobs.pk),
      skipped_bytes = (select coalesce(sum(${COUNTED_SIZE}), 0) from skipped_items s where s.job_pk = jobs.pk)
    where (skipped_items < 0 or skipped_bytes < 0) and skipped_purged_at is null`)
    .execute(db);
  // A NULL stays NULL (a job without a file has no artifact_bytes).
  const clamp = JOB_STATS.map((c) => `"${c}" = case when "${c}" < 0 then 0 else "${c}" end`).join(", ");
  const below = JOB_STATS.map((c) => `"${c}" < 0`).join(" or ");
  await sql.raw(`update jobs set ${clamp} where ${below}`).execute(db);
}

async function repairCounts(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`update job_counts set jobs = 0 where jobs < 0`).execute(db);
}

const withCheck = (name: string, condition: string) => (create: string) =>
  create.replace(/\)\s*$/, `, constraint "${name}" check (${condition}))`);

const withoutCheck = (name: string, condition: string) => (create: string) =>
  create.replace(`, constraint "${name}" check (${condition}))`, ")");

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) {
    await repairJobs(db);
    await repairCounts(db);
    await sql.raw(`alter table jobs add constraint "${JOBS_CHECK}" check (${jobsCondition})`).execute(db);
    await sql
      .raw(`alter table job_counts add constraint "${COUNTS_CHECK}" check (${countsCondition})`)
      .execute(db);
    return;
  }
  // Each rebuild is its own transaction: a rerun after a crash between them skips the one already done.
  if (!(await tableDefinition(db, "jobs")).includes(JOBS_CHECK)) {
    await rebuildTable(db, "jobs", withCheck(JOBS_CHECK, jobsCondition), () => repairJobs(db));
  }
  if (!(await tableDefinition(db, "job_counts")).includes(COUNTS_CHECK)) {
    await rebuildTable(db, "job_counts", withCheck(COUNTS_CHECK, countsCondition), () => repairCounts(db));
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) {
    await sql.raw(`alter table job_counts drop constraint "${COUNTS_CHECK}"`).execute(db);
    await sql.raw(`alter table jobs drop constraint "${JOBS_CHECK}"`).execute(db);
    return;
  }
  await rebuildTable(db, "job_counts", withoutCheck(COUNTS_CHECK, countsCondition));
  await rebuildTable(db, "jobs", withoutCheck(JOBS_CHECK, jobsCondition));
}
