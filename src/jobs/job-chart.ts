import { DAY } from "../clock";
import type { DbOrTx } from "../db/database";
import { dayInZone, startOfDayInZone } from "../format";
import { splitRange } from "./job-counts";
import { type JobFilter, matchingJobs, SEARCH_COUNT_CAP } from "./job-list";
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
  /** Free-text results were counted up to the cap only. */
  capped: boolean;
};

const empty = (): Record<ChartStatus, number> => ({
  successful: 0,
  incomplete: 0,
  unsuccessful: 0,
  cancelled: 0,
});
const nextDay = (day: string) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() + DAY).toISOString().slice(0, 10);

/** The days the chart covers: the filter's range, at most MAX_CHART_DAYS, ending today. */
function chartDays(filter: JobFilter, timeZone: string, now: Date): { days: string[]; truncated: boolean } {
  const today = dayInZone(now, timeZone);
  const lastDay = filter.to ? dayInZone(new Date(new Date(filter.to).getTime() - 1), timeZone) : today;
  const end = lastDay < today ? lastDay : today;
  const first = filter.from
    ? dayInZone(new Date(filter.from), timeZone)
    : dayInZone(new Date(new Date(`${end}T12:00:00.000Z`).getTime() - (DEFAULT_DAYS - 1) * DAY), timeZone);
  const days: string[] = [];
  for (let d = first; d <= end; d = nextDay(d)) days.push(d);
  const truncated = days.length > MAX_CHART_DAYS || !filter.from;
  return { days: days.slice(-MAX_CHART_DAYS), truncated };
}

export async function loadJobChart(
  db: DbOrTx,
  filter: JobFilter,
  options: { timeZone: string; now: Date },
): Promise<JobChart> {
  const { days, truncated } = chartDays(filter, options.timeZone, options.now);
  const byDay = new Map(days.map((d) => [d, empty()]));
  if (days.length === 0) return { days: [], truncated, capped: false };
  const from = startOfDayInZone(days[0]!, options.timeZone).toISOString();
  const rangeStart = filter.from && filter.from > from ? filter.from : from;
  const rangeEnd = startOfDayInZone(nextDay(days[days.length - 1]!), options.timeZone).toISOString();
  const to = filter.to && filter.to < rangeEnd ? filter.to : rangeEnd;
  const statuses = CHART_STATUSES.filter((s) => !filter.statuses.length || filter.statuses.includes(s));
  const add = (at: string, status: string, n: number) => {
    const counts = byDay.get(dayInZone(new Date(at), options.timeZone));
    if (counts && status in counts) counts[status as ChartStatus] += n;
  };
  let capped = false;

  if (statuses.length && (filter.connectorPks.length || filter.search)) {
    // A connector's jobs, or a search's matches, are few enough to read one by one.
    const rows = await matchingJobs(db, { ...filter, statuses, from: rangeStart, to })
      .select(["jobs.sort_at", "jobs.status"])
      .orderBy("jobs.sort_at", "desc")
      .limit(SEARCH_COUNT_CAP + 1)
      .execute();
    capped = rows.length > SEARCH_COUNT_CAP;
    for (const r of rows.slice(0, SEARCH_COUNT_CAP)) add(r.sort_at, r.status, 1);
  } else if (statuses.length) {
    // Whole days come from day buckets (UTC days only), whole hours from hour buckets, and the minutes at
    // the edges from the jobs themselves: exact, and no more than a few hundred rows read.
    const parts = splitRange({ from: rangeStart, to });
    const buckets = async (period: "day" | "hour", range: { from: string | null; to: string | null }) => {
      let q = db
        .selectFrom("job_counts")
        .select(["bucket", "status", (eb) => eb.fn.sum<number>("jobs").as("n")])
        .where("account_id", "=", filter.accountId)
        .where("period", "=", period)
        .where("status", "in", statuses)
        .groupBy(["bucket", "status"]);
      if (range.from) q = q.where("bucket", ">=", range.from);
      if (range.to) q = q.where("bucket", "<", range.to);
      if (filter.types.length) q = q.where("type", "in", filter.types);
      for (const r of await q.execute()) add(r.bucket, r.status, Number(r.n));
    };
    if (parts.days) await buckets(options.timeZone === "UTC" ? "day" : "hour", parts.days);
    for (const range of parts.hours) await buckets("hour", range);
    for (const range of parts.raw) {
      const rows = await matchingJobs(db, { ...filter, statuses, from: range.from, to: range.to })
        .select(["jobs.sort_at", "jobs.status"])
        .execute();
      for (const r of rows) add(r.sort_at, r.status, 1);
    }
  }
  return { days: days.map((day) => ({ day, counts: byDay.get(day)! })), truncated, capped };
}
