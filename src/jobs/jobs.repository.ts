import type { SelectQueryBuilder } from "kysely";
import type { Database, DbOrTx } from "../db/database";
import { type Job, type JobRecord, type JobRowFacts, toJob } from "./job";
import { type JobStats, type JobStatus, type JobType, STAT_NAMES } from "./vocabulary";

const STAT_COLUMNS = STAT_NAMES.flatMap((s) => [`jobs.${s}_items` as const, `jobs.${s}_bytes` as const]);

/** Jobs with their connector and linked jobs: the way a whole Job is read. */
export function selectJobs(db: DbOrTx) {
  return withJobDetails(db.selectFrom("jobs"));
}

/**
 * Adds to a query over jobs what a Job is made of: its columns, its connector, its linked jobs. They come
 * from scalar subqueries rather than joins: for one job, SQLite answered the joined form in 67 µs and this
 * one in 12 µs (every engine event reads its job twice), and for a page of 50 the two cost the same.
 */
export function withJobDetails<DB extends Database, TB extends keyof DB & "jobs", O>(
  query: SelectQueryBuilder<DB, TB, O>,
) {
  return (query as unknown as SelectQueryBuilder<Database, "jobs", O>).selectAll("jobs").select((eb) => {
    const connector = () => eb.selectFrom("connectors").whereRef("connectors.pk", "=", "jobs.connector_pk");
    const linked = (column: "jobs.follow_up_job_pk" | "jobs.retry_of_job_pk") =>
      eb.selectFrom("jobs as linked").select("linked.id").whereRef("linked.pk", "=", column);
    return [
      connector().select("connectors.id").as("connector_id"),
      connector().select("connectors.name").as("connector_name"),
      connector().select("connectors.kind").as("connector_kind"),
      linked("jobs.follow_up_job_pk").as("follow_up_job_id"),
      linked("jobs.retry_of_job_pk").as("retry_of_job_id"),
    ];
  });
}

/** A job of this account by its ID; another account's job is not found. */
export async function findJob(db: DbOrTx, accountId: number, id: string): Promise<Job | undefined> {
  const row = await selectJobs(db)
    .where("jobs.account_id", "=", accountId)
    .where("jobs.id", "=", id)
    .executeTakeFirst();
  return row && toJob(row as JobRecord);
}

export async function findJobByPk(db: DbOrTx, pk: number): Promise<Job | undefined> {
  const row = await selectJobs(db).where("jobs.pk", "=", pk).executeTakeFirst();
  return row && toJob(row as JobRecord);
}

export async function findJobsByPks(db: DbOrTx, accountId: number, pks: readonly number[]): Promise<Job[]> {
  if (pks.length === 0) return [];
  const rows = await selectJobs(db)
    .where("jobs.account_id", "=", accountId)
    .where("jobs.pk", "in", pks)
    .execute();
  return rows.map((r) => toJob(r as JobRecord));
}

/**
 * What the job table's row shows, in one statement: every running row asks for itself again after each
 * refresh interval, in every open tab, so it reads no more than it shows (no linked jobs, no skipped items).
 */
export async function findJobRow(
  db: DbOrTx,
  accountId: number,
  id: string,
): Promise<JobRowFacts | undefined> {
  const r = await db
    .selectFrom("jobs")
    .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
    .select([
      "jobs.pk",
      "jobs.id",
      "connectors.id as connector_id",
      "connectors.name as connector_name",
      "jobs.type",
      "jobs.status",
      "jobs.reason",
      "jobs.description",
      "jobs.scheduled_at",
      "jobs.started_at",
      "jobs.ended_at",
      ...STAT_COLUMNS,
      "jobs.cancel_requested_at",
      "jobs.snapshot_id",
      "jobs.snapshot_partial",
      "jobs.artifact_bytes",
      "jobs.artifact_url",
    ])
    .where("jobs.account_id", "=", accountId)
    .where("jobs.id", "=", id)
    .executeTakeFirst();
  if (!r) return undefined;
  const stats = Object.fromEntries(
    STAT_NAMES.map((s) => [s, { items: r[`${s}_items`], bytes: r[`${s}_bytes`] }]),
  ) as JobStats;
  return {
    pk: r.pk,
    id: r.id,
    connectorId: r.connector_id,
    connectorName: r.connector_name,
    type: r.type as JobType,
    status: r.status as JobStatus,
    reason: r.reason,
    description: r.description,
    scheduledAt: r.scheduled_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    stats,
    cancelRequestedAt: r.cancel_requested_at,
    snapshot: r.snapshot_id !== null ? { partial: r.snapshot_partial === 1 } : null,
    artifact: r.artifact_url !== null ? { bytes: r.artifact_bytes ?? 0 } : null,
  };
}
