import type { Connector } from "../../src/connectors/connectors.repository";
import { formatCount } from "../../src/format";
import type { JobChart } from "../../src/jobs/job-chart";
import { type JobCounts, type JobPage, SEARCH_COUNT_CAP } from "../../src/jobs/job-list";
import { type Cursor, type JobQuery, jobQueryString, timeSpanLabel } from "../../src/jobs/job-query";
import { JOB_STATUS_LABELS, JOB_STATUSES, JOB_TYPE_LABELS, type JobStatus } from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { href, type ViewContext } from "../view-context";
import { JobChartView } from "./job-chart";
import { JobRow } from "./job-row";

export type JobResultsData = {
  query: JobQuery;
  /** Where the list lives: "/jobs" or a connector's "/connectors/:id/jobs". */
  path: string;
  page: JobPage;
  /** Counts by status for the filter without its status part, so every status shows its count. */
  counts: JobCounts;
  /** The highest job pk when the page was made: jobs above it are new. */
  newestPk: number;
  /** Whether the account has any job at all (for the empty state). */
  accountHasJobs: boolean;
  chart: JobChart | null;
  /** The connectors the filter names, for its chips. */
  connectors: readonly Connector[];
};

function newJobsUrl(query: JobQuery, since: number): string {
  const qs = jobQueryString(query);
  return `/new-jobs${qs}${qs ? "&" : "?"}since=${since}`;
}

/** What every link that replaces the results says; set once on the element that holds such links. */
const resultsLinks = {
  "hx-target": "#results",
  "hx-swap": "outerHTML show:none",
  "hx-push-url": "true",
};

const resultsLink = (ctx: ViewContext, path: string) => ({ ...resultsLinks, "hx-get": href(ctx, path) });

function total(data: JobResultsData): { count: number; capped: boolean } {
  const { counts, query } = data;
  if (!query.statuses.length) return { count: counts.total, capped: counts.capped };
  return { count: query.statuses.reduce((n, s) => n + counts.byStatus[s], 0), capped: counts.capped };
}

function StatusSummary({ ctx, data }: { ctx: ViewContext; data: JobResultsData }) {
  const { query, counts, path } = data;
  const link = (statuses: JobStatus[]) => `${path}${jobQueryString({ ...query, statuses })}`;
  return (
    <nav class="status-summary" aria-label="Job counts" {...resultsLinks}>
      <ul>
        <li>
          <a
            href={href(ctx, link([]))}
            hx-get={href(ctx, link([]))}
            class={`chip${query.statuses.length === 0 ? " selected" : ""}`}
            aria-current={query.statuses.length === 0 ? "true" : undefined}
          >
            <span>All</span>
            <span class="count" safe>
              {counts.capped ? `${formatCount(counts.total)}+` : formatCount(counts.total)}
            </span>
          </a>
        </li>
        {JOB_STATUSES.map((status) => {
          const selected = query.statuses.length === 1 && query.statuses[0] === status;
          const target = link(selected ? [] : [status]);
          return (
            <li>
              <a
                href={href(ctx, target)}
                hx-get={href(ctx, target)}
                class={`chip chip-${status}${query.statuses.includes(status) ? " selected" : ""}`}
                aria-current={selected ? "true" : undefined}
                aria-label={
                  counts.capped
                    ? `${JOB_STATUS_LABELS[status]}: show only these jobs`
                    : `${JOB_STATUS_LABELS[status]}: ${formatCount(counts.byStatus[status])} jobs. Show only these.`
                }
              >
                <StatusBadge status={status} />
                {counts.capped ? (
                  ""
                ) : (
                  <span class="count" safe>
                    {formatCount(counts.byStatus[status])}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The filters in use, each a chip that removes it: what the list shows at a glance. */
function ActiveFilters({ ctx, data }: { ctx: ViewContext; data: JobResultsData }) {
  const { query, path } = data;
  const names = new Map(data.connectors.map((c) => [c.id, c.name]));
  const chips: { label: string; without: JobQuery }[] = [];
  if (query.q) chips.push({ label: `Search: “${query.q}”`, without: { ...query, q: null } });
  for (const id of query.connectorIds) {
    chips.push({
      label: `Connector: ${names.get(id) ?? id}`,
      without: { ...query, connectorIds: query.connectorIds.filter((x) => x !== id) },
    });
  }
  for (const status of query.statuses) {
    chips.push({
      label: `Status: ${JOB_STATUS_LABELS[status]}`,
      without: { ...query, statuses: query.statuses.filter((x) => x !== status) },
    });
  }
  for (const type of query.types) {
    chips.push({
      label: `Type: ${JOB_TYPE_LABELS[type]}`,
      without: { ...query, types: query.types.filter((x) => x !== type) },
    });
  }
  if (query.span) {
    const label = timeSpanLabel(query.span, query.fromDay, query.toDay);
    chips.push({ label: `Time: ${label}`, without: { ...query, span: null, fromDay: null, toDay: null } });
  }
  if (!chips.length) return "";
  return (
    <ul class="active-filters" aria-label="Filters in use" {...resultsLinks}>
      {chips.map(({ label, without }) => {
        const to = `${path}${jobQueryString(without)}`;
        return (
          <li>
            <a class="filter-chip" href={href(ctx, to)} hx-get={href(ctx, to)}>
              <span safe>{label}</span>
              <Icon name="cross" />
              <span class="visually-hidden">(remove this filter)</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

function PageLinks({ ctx, data }: { ctx: ViewContext; data: JobResultsData }) {
  const { page, query, path } = data;
  const to = (cursor: Cursor) => `${path}${jobQueryString(query, { cursor })}`;
  return (
    <nav class="pager" aria-label="Pages">
      {page.prev ? (
        <a class="button" rel="prev" href={href(ctx, to(page.prev))} {...resultsLink(ctx, to(page.prev))}>
          ← Previous
        </a>
      ) : (
        <span class="button disabled" aria-disabled="true">
          ← Previous
        </span>
      )}
      {page.next ? (
        <a class="button" rel="next" href={href(ctx, to(page.next))} {...resultsLink(ctx, to(page.next))}>
          Next →
        </a>
      ) : (
        <span class="button disabled" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}

function EmptyState({ ctx, data }: { ctx: ViewContext; data: JobResultsData }) {
  if (!data.accountHasJobs) {
    return (
      <div class="empty-state">
        <p class="empty-title">No jobs yet</p>
        <p>Jobs appear here as soon as a backup or restore engine reports them for one of your connectors.</p>
      </div>
    );
  }
  return (
    <div class="empty-state">
      <p class="empty-title">No jobs match these filters</p>
      <p>
        Try a longer time span, fewer statuses or types, or different search words.{" "}
        <a href={href(ctx, data.path)}>Clear filters</a>
      </p>
    </div>
  );
}

/** The part of the Job Monitor that filters replace: summary, chart, table and paging. */
export function JobResults({ ctx, data }: { ctx: ViewContext; data: JobResultsData }) {
  const { page, query } = data;
  const { count, capped } = total(data);
  const first = page.offset + 1;
  const last = page.offset + page.jobs.length;
  const countText = capped ? `more than ${formatCount(count)}` : formatCount(count);
  const range = page.jobs.length
    ? `${formatCount(first)}–${formatCount(last)} of ${countText} ${count === 1 && !capped ? "job" : "jobs"}`
    : `0 of ${countText} jobs`;
  const csv = `/jobs.csv${jobQueryString(query)}`;
  const pollUrl = newJobsUrl(query, data.newestPk);
  return (
    <section id="results" class="results" aria-labelledby="results-heading" tabindex="-1">
      <h2 id="results-heading" class="visually-hidden">
        Results
      </h2>
      <ActiveFilters ctx={ctx} data={data} />
      <StatusSummary ctx={ctx} data={data} />
      {data.chart ? (
        <JobChartView chart={data.chart} />
      ) : data.counts.capped ? (
        <p class="chart-note muted" safe>
          {`No chart for more than ${formatCount(SEARCH_COUNT_CAP)} matches: narrow the search to see jobs per day.`}
        </p>
      ) : (
        ""
      )}
      <div class="toolbar">
        <p class="range" safe>
          {range}
        </p>
        <div
          id="new-jobs"
          class="new-jobs"
          hx-get={href(ctx, pollUrl)}
          hx-trigger={`load delay:${ctx.refreshSeconds}s, jm-poll`}
          hx-swap="outerHTML"
          hx-headers='{"X-Background":"1"}'
          data-poll="new-jobs"
        />
        <p id="updated-at" class="updated muted">
          Updated <Time ctx={ctx} iso={ctx.now} />
        </p>
        <a class="button button-small" href={href(ctx, csv)} download="">
          <Icon name="download" />
          Download CSV
        </a>
      </div>
      {page.jobs.length === 0 ? (
        <EmptyState ctx={ctx} data={data} />
      ) : (
        <div class="table-wrap stacked-on-phones">
          <table class="jobs">
            <caption class="visually-hidden" safe>
              {`Jobs, ${query.order === "oldest" ? "oldest" : "newest"} first. ${range}.`}
            </caption>
            <colgroup>
              <col class="col-status" />
              <col class="col-type" />
              <col class="col-connector" />
              <col class="col-description" />
              <col class="col-started" />
              <col class="col-duration" />
              <col class="col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Type</th>
                <th scope="col">Connector</th>
                <th scope="col">Description</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.jobs.map((job) => (
                <JobRow ctx={ctx} job={job} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.prev || page.next ? <PageLinks ctx={ctx} data={data} /> : ""}
    </section>
  );
}

/** The "N new jobs" notice; it asks again later until the user chooses to see them. */
export function NewJobsNotice({
  ctx,
  path,
  query,
  since,
  count,
}: {
  ctx: ViewContext;
  path: string;
  query: JobQuery;
  since: number;
  count: number;
}) {
  const poll = newJobsUrl(query, since);
  const show = `${path}${jobQueryString({ ...query })}`;
  return (
    <div
      id="new-jobs"
      class="new-jobs"
      hx-get={href(ctx, poll)}
      hx-trigger={`load delay:${ctx.refreshSeconds}s, jm-poll`}
      hx-swap="outerHTML"
      hx-headers='{"X-Background":"1"}'
      data-poll="new-jobs"
      role="status"
    >
      {count > 0 ? (
        <a href={href(ctx, show)} {...resultsLink(ctx, show)} class="new-jobs-link">
          <span safe>{`${formatCount(count)} new ${count === 1 ? "job" : "jobs"}`}</span> — show
        </a>
      ) : (
        ""
      )}
      <p id="updated-at" class="updated muted" hx-swap-oob="true">
        Updated <Time ctx={ctx} iso={ctx.now} />
      </p>
    </div>
  );
}
