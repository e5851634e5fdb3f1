import { DAY, HOUR } from "../clock";
import type { DbOrTx } from "../db/database";
import { dayInZone, startOfDayInZone, zoneOffsetMinutes } from "../format";
import { splitRange } from "./job-counts";
import { type JobFilter, matchingJobs, orderColumn, SEARCH_COUNT_CAP } from "./job-list";
import type { JobStatus } from "./vocabulary";

// Jobs per day, stacked by how they ended, for the Job Monitor's small chart.

export const CHART_STATUSES = [
  "successful",
  "incomplete",
  "unsuccessful",
  "cancelled",
] as const satisfies readonly JobStatus[];
export type ChartStatus = (typeof CHART_STATUSES)[number];
export const MAX_CHART_DAYS = 92;
const DEFAULT_DAYS = 30;

export type ChartDay = { day: string; counts: Record<ChartStatus, number> };
export type JobChart = {
  days: ChartDay[];
  /** The filter covers more days than the chart shows (it shows the latest). */
  truncated: boolean;
};

const empty = (): Record<ChartStatus, number> => ({
  successful: 0,
  incomplete: 0,
  unsuccessful: 0,
  cancelled: 0,
});
const nextDay = (day: string) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() + DAY).toISOString().slice(0, 10);

/**
 * The days the chart covers: the filter's range, at most MAX_CHART_DAYS, ending today, or on the later
 * day of a job that ended before its scheduled time came (a scheduled restore cancelled early).
 */
function chartDays(
  filter: JobFilter,
  timeZone: string,
  now: Date,
  latest: string | null,
): { days: string[]; truncated: boolean } {
  const today = latest && latest > dayInZone(now, timeZone) ? latest : dayInZone(now, timeZone);
  const lastDay = filter.to ? dayInZone(new Date(new Date(filter.to).getTime() - 1), timeZone) : today;
  // biome-ignore lint/complexity/useMathMinMax: days are YYYY-MM-DD strings, compared as text.
  const end = lastDay < today ? lastDay : today;
  const first = filter.from
    ? dayInZone(new Date(filter.from), timeZone)
    : dayInZone(new Date(new Date(`${end}T12:00:00.000Z`).getTime() - (DEFAULT_DAYS - 1) * DAY), timeZone);
  const days: string[] = [];
  for (let d = first; d <= end; d = nextDay(d)) days.push(d);
  const truncated = days.length > MAX_CHART_DAYS || !filter.from;
  return { days: days.slice(-MAX_CHART_DAYS), truncated };
}

/** Jobs per day for the filter; null for a search with more matches than SEARCH_COUNT_CAP. */
export async function loadJobChart(
  db: DbOrTx,
  filter: JobFilter,
  options: { timeZone: string; now: Date },
): Promise<JobChart | null> {
  const statuses = CHART_STATUSES.filter((s) => !filter.statuses.length || filter.statuses.includes(s));
  const tomorrow = startOfDayInZone(
    nextDay(dayInZone(options.now, options.timeZone)),
    options.timeZone,
  ).toISOString();
  const future = statuses.length
    ? await matchingJobs(db, {
        ...filter,
        statuses,
        from: filter.from && filter.from > tomorrow ? filter.from : tomorrow,
      })
        .select("jobs.sort_at")
        .orderBy(orderColumn(filter), "desc")
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const latest = future ? dayInZone(new Date(future.sort_at), options.timeZone) : null;
  const { days, truncated } = chartDays(filter, options.timeZone, options.now, latest);
  const byDay = new Map(days.map((d) => [d, empty()]));
  if (days.length === 0) return { days: [], truncated };
  const from = startOfDayInZone(days[0]!, options.timeZone).toISOString();
  const rangeStart = filter.from && filter.from > from ? filter.from : from;
  const rangeEnd = startOfDayInZone(nextDay(days[days.length - 1]!), options.timeZone).toISOString();
  const to = filter.to && filter.to < rangeEnd ? filter.to : rangeEnd;
  // Bucket starts repeat for every type and status: work out each one's local day once.
  const localDays = new Map<string, string>();
  const localDay = (at: string) => {
    let day = localDays.get(at);
    if (day === undefined) {
      day = dayInZone(new Date(at), options.timeZone);
      localDays.set(at, day);
    }
    return day;
  };
  /** Adds to the local day of `at` (or to the given day). */
  const add = (at: string, status: string, n: number, day?: string) => {
    const counts = byDay.get(day ?? localDay(at));
    if (counts && status in counts) counts[status as ChartStatus] += n;
  };

  if (statuses.length && filter.search) {
    // A search's matches are counted up to the cap; beyond it there is no chart.
    const rows = await matchingJobs(db, { ...filter, statuses, from: rangeStart, to })
      .select(["jobs.sort_at", "jobs.status"])
      .orderBy(orderColumn(filter), "desc")
      .limit(SEARCH_COUNT_CAP + 1)
      .execute();
    if (rows.length > SEARCH_COUNT_CAP) return null;
    for (const r of rows) add(r.sort_at, r.status, 1);
  } else if (statuses.length && filter.connectorPks.length) {
    // A connector's jobs are few enough to read one by one.
    const rows = await matchingJobs(db, { ...filter, statuses, from: rangeStart, to })
      .select(["jobs.sort_at", "jobs.status"])
      .execute();
    for (const r of rows) add(r.sort_at, r.status, 1);
  } else if (statuses.length) {
    // Whole UTC days come from day buckets, whole hours from hour buckets, and the minutes at the
    // edges of the range from the jobs themselves: exact, and a few hundred rows read at most.
    const parts = splitRange({ from: rangeStart, to });
    const buckets = (period: "day" | "hour") => {
      let q = db
        .selectFrom("job_counts")
        .select(["bucket", "status", (eb) => eb.fn.sum<number>("jobs").as("n")])
        .where("account_id", "=", filter.accountId)
        .where("period", "=", period)
        .where("status", "in", statuses)
        .groupBy(["bucket", "status"]);
      if (filter.types.length) q = q.where("type", "in", filter.types);
      return q;
    };
    if (parts.days) {
      let q = buckets("day");
      if (parts.days.from) q = q.where("bucket", ">=", parts.days.from);
      if (parts.days.to) q = q.where("bucket", "<", parts.days.to);
      const dayRows = await q.execute();
      // A UTC day counts for the local day of its noon; the hours of it that belong to the day before
      // or after (one an hour of offset, more in zones further from UTC) are moved there one by one.
      const moved: { bucket: string; from: string }[] = [];
      for (const r of dayRows) {
        add(
          r.bucket,
          r.status,
          Number(r.n),
          localDay(new Date(new Date(r.bucket).getTime() + 12 * HOUR).toISOString()),
        );
      }
      const daysSeen = [...new Set(dayRows.map((r) => r.bucket))];
      for (const bucket of daysSeen) {
        const start = new Date(bucket).getTime();
        const home = dayInZone(new Date(start + 12 * HOUR), options.timeZone);
        const first = zoneOffsetMinutes(options.timeZone, new Date(start));
        const last = zoneOffsetMinutes(options.timeZone, new Date(start + 23 * HOUR));
        for (let h = 0; h < 24; h += 1) {
          // Offsets change at most once a day (daylight saving): only then is each hour looked up.
          const offset =
            first === last ? first : zoneOffsetMinutes(options.timeZone, new Date(start + h * HOUR));
          const localHour = h + offset / 60;
          if (localHour < 0 || localHour >= 24)
            moved.push({ bucket: new Date(start + h * HOUR).toISOString(), from: home });
        }
      }
      for (let k = 0; k < moved.length; k += 500) {
        const chunk = moved.slice(k, k + 500);
        const home = new Map(chunk.map((m) => [m.bucket, m.from]));
        const rows = await buckets("hour")
          .where(
            "bucket",
            "in",
            chunk.map((m) => m.bucket),
          )
          .execute();
        for (const r of rows) {
          add(r.bucket, r.status, -Number(r.n), home.get(r.bucket));
          add(r.bucket, r.status, Number(r.n));
        }
      }
    }
    for (const range of parts.hours) {
      for (const r of await buckets("hour")
        .where("bucket", ">=", range.from)
        .where("bucket", "<", range.to)
        .execute()) {
        add(r.bucket, r.status, Number(r.n));
      }
    }
    for (const range of parts.raw) {
      const rows = await matchingJobs(db, { ...filter, statuses, from: range.from, to: range.to })
        .select(["jobs.sort_at", "jobs.status"])
        .execute();
      for (const r of rows) add(r.sort_at, r.status, 1);
    }
  }
  return { days: days.map((day) => ({ day, counts: byDay.get(day)! })), truncated };
}
