import type { SelectQueryBuilder } from "kysely";
import type { Database, DbOrTx } from "../db/database";
import { type Job, type JobRecord, toJob } from "./job";

/** Jobs with their connector and linked jobs: the one way jobs are read. */
export function selectJobs(db: DbOrTx) {
  return withJobDetails(db.selectFrom("jobs"));
}

/** Adds to a query over jobs what a Job is made of: its columns, its connector, its linked jobs. */
export function withJobDetails<DB extends Database, TB extends keyof DB & "jobs", O>(
  query: SelectQueryBuilder<DB, TB, O>,
) {
  return (query as unknown as SelectQueryBuilder<Database, "jobs", O>)
    .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
    .leftJoin("jobs as follow_up", "follow_up.pk", "jobs.follow_up_job_pk")
    .leftJoin("jobs as retry_of", "retry_of.pk", "jobs.retry_of_job_pk")
    .selectAll("jobs")
    .select([
      "connectors.id as connector_id",
      "connectors.name as connector_name",
      "connectors.kind as connector_kind",
      "follow_up.id as follow_up_job_id",
      "retry_of.id as retry_of_job_id",
    ]);
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
