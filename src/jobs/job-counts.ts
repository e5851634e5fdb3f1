import { sql } from "kysely";
import { DAY, HOUR } from "../clock";
import type { DbOrTx } from "../db/database";
import { everyAccountsJobsChanged, jobsChanged } from "./jobs-version";
import { sortKeyCeiling, sortKeyFloor } from "./sort-key";
import { JOB_STATUSES, type JobStatus, type JobType } from "./vocabulary";

// Job counts by type and status per hour, day and month, kept in step with every job change (in the
// same transaction), so the status summary and totals sum a few hundred small rows instead of counting
// jobs: months for the long stretches, days and hours for the edges, and the jobs themselves only for
// the minutes at the very ends of a range.

export type CountedJob = { accountId: number; sortAt: string; type: string; status: string };

const dayBucket = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;
const hourBucket = (iso: string) => `${iso.slice(0, 13)}:00:00.000Z`;
const monthBucket = (iso: string) => `${iso.slice(0, 7)}-01T00:00:00.000Z`;

async function bump(db: DbOrTx, job: CountedJob, delta: 1 | -1): Promise<void> {
  const buckets = [
    { period: "month", bucket: monthBucket(job.sortAt) },
    { period: "day", bucket: dayBucket(job.sortAt) },
    { period: "hour", bucket: hourBucket(job.sortAt) },
  ];
  if (delta < 0) {
    // Only ever a row the job was counted in: an insert of -1 would be refused (counts are never
    // negative, a CHECK constraint says so) before an upsert could turn it into an update.
    for (const b of buckets) {
      await db
        .updateTable("job_counts")
        .set({ jobs: sql`jobs - 1` })
        .where("account_id", "=", job.accountId)
        .where("period", "=", b.period)
        .where("bucket", "=", b.bucket)
        .where("type", "=", job.type)
        .where("status", "=", job.status)
        .execute();
    }
    return;
  }
  const rows = buckets.map((b) => ({
    account_id: job.accountId,
    type: job.type,
    status: job.status,
    jobs: 1,
    ...b,
  }));
  await db
    .insertInto("job_counts")
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(["account_id", "period", "bucket", "type", "status"])
        .doUpdateSet({ jobs: sql`job_counts.jobs + 1` }),
    )
    .execute();
}

/** Moves a job between count buckets: null before = a new job; null after = a removed one. */
export async function moveJobCount(
  db: DbOrTx,
  before: CountedJob | null,
  after: CountedJob | null,
): Promise<void> {
  const sameKind = before && after && before.type === after.type && before.status === after.status;
  if (sameKind && before.sortAt === after.sortAt) return;
  await jobsChanged(db, (after ?? before)!.accountId);
  if (sameKind && hourBucket(before.sortAt) === hourBucket(after.sortAt)) return;
  if (before) await bump(db, before, -1);
  if (after) await bump(db, after, 1);
}

export type TimeRange = { from: string | null; to: string | null };

/** How a time range splits into whole days, whole hours, and the minutes left at its edges. */
export type RangeParts = {
  days: { from: string | null; to: string | null } | null;
  hours: { from: string; to: string }[];
  raw: { from: string | null; to: string | null }[];
};

const iso = (ms: number) => new Date(ms).toISOString();

function splitByHours(from: number, to: number, parts: RangeParts): void {
  const hourFrom = Math.ceil(from / HOUR) * HOUR;
  const hourTo = Math.floor(to / HOUR) * HOUR;
  if (hourFrom >= hourTo) {
    if (from < to) parts.raw.push({ from: iso(from), to: iso(to) });
    return;
  }
  parts.hours.push({ from: iso(hourFrom), to: iso(hourTo) });
  if (from < hourFrom) parts.raw.push({ from: iso(from), to: iso(hourFrom) });
  if (hourTo < to) parts.raw.push({ from: iso(hourTo), to: iso(to) });
}

/** Splits [from, to) (either end open) into whole UTC days, whole hours, and raw edges. */
export function splitRange({ from, to }: TimeRange): RangeParts {
  const lo = from === null ? null : new Date(from).getTime();
  const hi = to === null ? null : new Date(to).getTime();
  const parts: RangeParts = { days: null, hours: [], raw: [] };
  const dayLo = lo === null ? null : Math.ceil(lo / DAY) * DAY;
  const dayHi = hi === null ? null : Math.floor(hi / DAY) * DAY;
  if (dayLo === null || dayHi === null || dayLo < dayHi) {
    parts.days = { from: dayLo === null ? null : iso(dayLo), to: dayHi === null ? null : iso(dayHi) };
    if (lo !== null && dayLo !== null && lo < dayLo) splitByHours(lo, dayLo, parts);
    if (hi !== null && dayHi !== null && dayHi < hi) splitByHours(dayHi, hi, parts);
  } else if (lo !== null && hi !== null) {
    splitByHours(lo, hi, parts);
  }
  return parts;
}

const monthStart = (ms: number, next: boolean) => {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return next && start < ms ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start;
};

/** Splits a range of whole days into whole UTC months and the days at its ends. */
export function splitDays(days: { from: string | null; to: string | null }): {
  months: { from: string | null; to: string | null } | null;
  days: { from: string | null; to: string | null }[];
} {
  const lo = days.from === null ? null : new Date(days.from).getTime();
  const hi = days.to === null ? null : new Date(days.to).getTime();
  const monthLo = lo === null ? null : monthStart(lo, true);
  const monthHi = hi === null ? null : monthStart(hi, false);
  if (monthLo !== null && monthHi !== null && monthLo >= monthHi) return { months: null, days: [days] };
  const edges: { from: string | null; to: string | null }[] = [];
  if (lo !== null && monthLo !== null && lo < monthLo) edges.push({ from: days.from, to: iso(monthLo) });
  if (hi !== null && monthHi !== null && monthHi < hi) edges.push({ from: iso(monthHi), to: days.to });
  return {
    months: { from: monthLo === null ? null : iso(monthLo), to: monthHi === null ? null : iso(monthHi) },
    days: edges,
  };
}

export type CountFilter = TimeRange & { types: readonly JobType[]; statuses: readonly JobStatus[] };

export type StatusCounts = Record<JobStatus, number>;

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** Counts an account's jobs by status from the buckets, for filters without connector or free text. */
export async function countFromBuckets(
  db: DbOrTx,
  accountId: number,
  filter: CountFilter,
): Promise<StatusCounts> {
  const parts = splitRange(filter);
  const counts = emptyCounts();
  const add = (rows: { status: string; jobs: number | string | bigint | null }[]) => {
    for (const row of rows) counts[row.status as JobStatus] += Number(row.jobs ?? 0);
  };

  const bucketQuery = (period: string) => {
    let q = db
      .selectFrom("job_counts")
      .select(["status", (eb) => eb.fn.sum<number>("jobs").as("jobs")])
      .where("account_id", "=", accountId)
      .where("period", "=", period)
      .groupBy("status");
    if (filter.types.length) q = q.where("type", "in", filter.types);
    if (filter.statuses.length) q = q.where("status", "in", filter.statuses);
    return q;
  };

  const inRange = (period: string, range: { from: string | null; to: string | null }) => {
    let q = bucketQuery(period);
    if (range.from) q = q.where("bucket", ">=", range.from);
    if (range.to) q = q.where("bucket", "<", range.to);
    return q.execute();
  };
  if (parts.days) {
    const { months, days } = splitDays(parts.days);
    if (months) add(await inRange("month", months));
    for (const range of days) add(await inRange("day", range));
  }
  for (const range of parts.hours) {
    add(await bucketQuery("hour").where("bucket", ">=", range.from).where("bucket", "<", range.to).execute());
  }
  for (const range of parts.raw) {
    let q = db
      .selectFrom("jobs")
      .select(["status", (eb) => eb.fn.countAll<number>().as("jobs")])
      .where("account_id", "=", accountId)
      .groupBy("status");
    // The sort-key range lets the list index find the few jobs; sort_at then decides exactly.
    if (range.from)
      q = q.where("sort_key", ">=", sortKeyFloor(range.from)).where("sort_at", ">=", range.from);
    if (range.to) q = q.where("sort_key", "<", sortKeyCeiling(range.to)).where("sort_at", "<", range.to);
    if (filter.types.length) q = q.where("type", "in", filter.types);
    if (filter.statuses.length) q = q.where("status", "in", filter.statuses);
    add(await q.execute());
  }
  return counts;
}

/** Rebuilds every bucket of an account from its jobs (after a bulk load, or to repair). */
export async function rebuildCounts(db: DbOrTx, accountId?: number): Promise<void> {
  let del = db.deleteFrom("job_counts");
  if (accountId !== undefined) del = del.where("account_id", "=", accountId);
  await del.execute();
  for (const [period, length, suffix] of [
    ["month", 7, "-01T00:00:00.000Z"],
    ["day", 10, "T00:00:00.000Z"],
    ["hour", 13, ":00:00.000Z"],
  ] as const) {
    let select = db
      .selectFrom("jobs")
      .select((eb) => [
        "account_id",
        sql.lit(period).as("period"),
        sql<string>`substr(sort_at, 1, ${sql.lit(length)}) || ${sql.lit(suffix)}`.as("bucket"),
        "type",
        "status",
        eb.fn.countAll<number>().as("jobs"),
      ])
      .groupBy(["account_id", "bucket", "type", "status"]);
    if (accountId !== undefined) select = select.where("account_id", "=", accountId);
    await db
      .insertInto("job_counts")
      .columns(["account_id", "period", "bucket", "type", "status", "jobs"])
      .expression(select)
      .execute();
  }
  // Counts remembered from before the rebuild must not outlive it.
  if (accountId === undefined) await everyAccountsJobsChanged(db);
  else await jobsChanged(db, accountId);
}
