import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { type Connector, findConnectors } from "../connectors/connectors.repository";
import type { Database, DbOrTx } from "../db/database";
import { readInChunks, resolveSearchQuery, SEARCH_ORDER, searchJobs } from "../db/store";
import { nextTurn } from "../event-loop";
import { type Job, type JobRecord, toJob } from "./job";
import { countFromBuckets, emptyCounts, type StatusCounts } from "./job-counts";
import type { Cursor, JobQuery, Order } from "./job-query";
import { withJobDetails } from "./jobs.repository";
import { sortKeyCeiling, sortKeyFloor } from "./sort-key";
import { type JobStatus, type JobType, STAT_NAMES } from "./vocabulary";

/** Which of an account's jobs to list: every part narrows; empty lists mean "any". */
export type JobFilter = {
  accountId: number;
  connectorPks: readonly number[];
  statuses: readonly JobStatus[];
  types: readonly JobType[];
  /** [from, to) on the start (or scheduled) time, ISO-8601 UTC. */
  from: string | null;
  to: string | null;
  /** An FTS query from toSearchQuery, or null. */
  search: string | null;
  /** Only these jobs (the ones that arrived since the page was made). */
  pks?: readonly number[];
};

/** A page of jobs, the cursors around it, and the place of its first row in the whole list (0-based). */
export type JobPage = { jobs: Job[]; next: Cursor | null; prev: Cursor | null; offset: number };

/** The filter's conditions on the jobs table, apart from free text (which decides where rows come from). */
function matches(eb: ExpressionBuilder<Database, "jobs">, f: JobFilter): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [eb("jobs.account_id", "=", f.accountId)];
  if (f.connectorPks.length) parts.push(eb("jobs.connector_pk", "in", f.connectorPks));
  if (f.statuses.length) parts.push(eb("jobs.status", "in", f.statuses));
  if (f.types.length) parts.push(eb("jobs.type", "in", f.types));
  // The time range narrows the sort-key range the index scans, and sort_at then decides exactly.
  if (f.from) parts.push(eb("jobs.sort_key", ">=", sortKeyFloor(f.from)), eb("jobs.sort_at", ">=", f.from));
  if (f.to) parts.push(eb("jobs.sort_key", "<", sortKeyCeiling(f.to)), eb("jobs.sort_at", "<", f.to));
  if (f.pks) parts.push(eb("jobs.pk", "in", f.pks.length ? f.pks : [-1]));
  return eb.and(parts);
}

/**
 * The jobs that match a filter, to select from. With free text they come from the search index, in list
 * order; otherwise from the jobs table through the index that fits the filter.
 */
export function matchingJobs(db: DbOrTx, filter: JobFilter) {
  if (!filter.search) return db.selectFrom("jobs").where((eb) => matches(eb, filter));
  // The same time range on the index's rowid lets FTS5 seek to it instead of reading from the start.
  let q = searchJobs(db, filter.search).where((eb) => matches(eb, filter));
  if (filter.from) q = q.where("jobs_fts.rowid", ">=", sortKeyFloor(filter.from));
  if (filter.to) q = q.where("jobs_fts.rowid", "<", sortKeyCeiling(filter.to));
  return q;
}

/** The column the list is ordered by: the sort key, or the search index's rowid, which equals it. */
export function orderColumn(filter: JobFilter) {
  return sql.ref(filter.search ? SEARCH_ORDER : "jobs.sort_key");
}

/** Keyset paging on the sort key: stable while new jobs arrive, and never an OFFSET scan. */
export async function listJobs(
  db: DbOrTx,
  filter: JobFilter,
  page: { size: number; order: Order; cursor: Cursor | null },
): Promise<JobPage> {
  const newestFirst = page.order === "newest";
  const backwards = page.cursor?.dir === "before";
  // Reading backwards means reading in the opposite order and reversing the result.
  const descending = newestFirst !== backwards;
  const column = orderColumn(filter);
  let q = withJobDetails(matchingJobs(db, filter))
    .orderBy(column, descending ? "desc" : "asc")
    .limit(page.size + 1);
  if (page.cursor) q = q.where(sql<SqlBool>`${column} ${sql.raw(descending ? "<" : ">")} ${page.cursor.key}`);
  const rows = await q.execute();
  const more = rows.length > page.size;
  if (backwards && !more && rows.length < page.size) {
    // Back at the top after new jobs arrived: show a full first page rather than a short one.
    return listJobs(db, filter, { ...page, cursor: null });
  }
  const jobs = rows.slice(0, page.size).map((r) => toJob(r as JobRecord));
  if (backwards) jobs.reverse();
  const offset = !page.cursor
    ? 0
    : backwards
      ? Math.max(0, page.cursor.pos - jobs.length)
      : page.cursor.pos + 1;
  if (jobs.length === 0) return { jobs, next: null, prev: null, offset };

  const first = jobs[0]!;
  const last = jobs[jobs.length - 1]!;
  const hasNext = backwards ? await existsBeyond(db, filter, last, newestFirst) : more;
  const hasPrev = backwards
    ? more
    : page.cursor
      ? await existsBeyond(db, filter, first, !newestFirst)
      : false;
  // Reached backwards, the first page learns that it is first only here.
  const start = backwards && !more ? 0 : offset;
  return {
    jobs,
    next: hasNext ? { dir: "after", key: last.sortKey, pos: start + jobs.length - 1 } : null,
    prev: hasPrev ? { dir: "before", key: first.sortKey, pos: start } : null,
    offset: start,
  };
}

async function existsBeyond(db: DbOrTx, filter: JobFilter, job: Job, descending: boolean): Promise<boolean> {
  const row = await matchingJobs(db, filter)
    .select("jobs.pk")
    .where(sql<SqlBool>`${orderColumn(filter)} ${sql.raw(descending ? "<" : ">")} ${job.sortKey}`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Free-text totals stop counting here: "more than 1,000" says as much as the exact number, and counting
 * further would read every match of a common word.
 */
export const SEARCH_COUNT_CAP = 1_000;

export type JobCounts = { byStatus: StatusCounts; total: number; capped: boolean };

/** How many jobs match the filter, by status. */
export async function countJobs(db: DbOrTx, filter: JobFilter): Promise<JobCounts> {
  let byStatus: StatusCounts;
  let capped = false;
  if (filter.search) {
    const rows = await matchingJobs(db, filter)
      .select("jobs.status")
      .orderBy(orderColumn(filter), "desc")
      .limit(SEARCH_COUNT_CAP + 1)
      .execute();
    capped = rows.length > SEARCH_COUNT_CAP;
    byStatus = emptyCounts();
    for (const row of rows.slice(0, SEARCH_COUNT_CAP)) byStatus[row.status as JobStatus] += 1;
  } else if (filter.connectorPks.length) {
    // A connector's jobs are few enough to count directly through the connector index.
    const rows = await matchingJobs(db, filter)
      .select(["jobs.status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("jobs.status")
      .execute();
    byStatus = emptyCounts();
    for (const row of rows) byStatus[row.status as JobStatus] = Number(row.n);
  } else {
    byStatus = await countFromBuckets(db, filter.accountId, filter);
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { byStatus, total, capped };
}

/** A job as the CSV export reads it: its own columns and its connector's, nothing joined beyond. */
export type ExportRow = Awaited<ReturnType<ReturnType<typeof exportQuery>["execute"]>>[number];

function exportQuery(
  db: DbOrTx,
  filter: JobFilter,
  descending: boolean,
  after: number | null,
  limit: number | null,
) {
  const column = orderColumn(filter);
  let q = matchingJobs(db, filter)
    .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
    .select([
      "jobs.sort_key",
      "jobs.id",
      "connectors.name as connector_name",
      "connectors.id as connector_id",
      "connectors.kind as connector_kind",
      "jobs.type",
      "jobs.status",
      "jobs.reason",
      "jobs.scheduled_at",
      "jobs.started_at",
      "jobs.ended_at",
      "jobs.description",
      ...STAT_NAMES.flatMap((s) => [`jobs.${s}_items` as const, `jobs.${s}_bytes` as const]),
    ])
    .orderBy(column, descending ? "desc" : "asc");
  if (limit !== null) q = q.limit(limit);
  if (after !== null) q = q.where(sql<SqlBool>`${column} ${sql.raw(descending ? "<" : ">")} ${after}`);
  return q;
}

/**
 * Every job matching the filter in list order, in chunks (for the CSV export), never all at once: the
 * store reads them through a cursor or in short keyset queries, and the event loop serves other
 * requests between chunks.
 */
export async function* iterateJobs(
  db: DbOrTx,
  filter: JobFilter,
  order: Order,
  chunk = 500,
): AsyncGenerator<ExportRow[]> {
  const descending = order === "newest";
  const build = (after: number | null, limit: number | null) =>
    exportQuery(db, filter, descending, after, limit);
  for await (const rows of readInChunks(db, build, (row) => row.sort_key!, chunk)) {
    yield rows;
    await nextTurn();
  }
}

/** Turns a validated query into a filter, looking up its connector IDs in the account. */
export async function toJobFilter(
  db: DbOrTx,
  accountId: number,
  query: JobQuery,
): Promise<{ filter: JobFilter; connectors: Connector[]; unknownConnector: string | null }> {
  const connectors = await findConnectors(db, accountId, query.connectorIds);
  const known = new Set(connectors.map((c) => c.id));
  const unknownConnector = query.connectorIds.find((id) => !known.has(id)) ?? null;
  return {
    filter: {
      accountId,
      connectorPks: connectors.map((c) => c.pk),
      statuses: query.statuses,
      types: query.types,
      from: query.from,
      to: query.to,
      search: query.q ? await resolveSearchQuery(db, query.q) : null,
    },
    connectors,
    unknownConnector,
  };
}

/** How many jobs matching the filter were created after the job with pk `since`. */
export async function countJobsSince(db: DbOrTx, filter: JobFilter, since: number): Promise<number> {
  // New jobs are few: find them by pk first (a short range of the table), then apply the filter to them.
  const fresh = await db.selectFrom("jobs").select("pk").where("pk", ">", since).limit(10_000).execute();
  if (fresh.length === 0) return 0;
  const row = await matchingJobs(db, { ...filter, pks: fresh.map((r) => r.pk) })
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
