import { CONNECTOR_KIND_LABELS } from "../../src/connectors/connector-kinds";
import type { Connector } from "../../src/connectors/connectors.repository";
import { formatCount } from "../../src/format";
import type { FieldErrors, QueryField, RawJobQuery } from "../../src/jobs/job-query";
import { Layout } from "../layout";
import { FieldErrorsOob, JobFilters } from "../partials/job-filters";
import { JobResults, type JobResultsData } from "../partials/job-results";
import { href, type ViewContext } from "../view-context";

export type JobsPageData = {
  raw: RawJobQuery;
  errors: FieldErrors;
  /** The connectors the filter names (not every connector of the account: the panel fetches those). */
  chosenConnectors: readonly Connector[];
  /** The connector whose jobs these are, when exactly one is chosen (its name heads the page). */
  connector: Connector | null;
  path: string;
  /** Null when the filters have errors and nothing was listed. */
  results: JobResultsData | null;
};

const FIELD_LABELS: Record<QueryField | "query", string> = {
  q: "Search",
  connector: "Connector",
  status: "Status",
  type: "Type",
  span: "Time span",
  from: "Start date",
  to: "End date",
  size: "Rows a page",
  order: "Order",
  cursor: "Page",
  query: "Address",
};

/** What the results region shows when a filter is not valid: every problem, each linking to its field. */
function FilterProblems({ errors }: { errors: FieldErrors }) {
  const entries = Object.entries(errors) as [QueryField | "query", string][];
  return (
    <section id="results" class="results" tabindex="-1" aria-labelledby="results-heading">
      <div class="error-summary" role="alert">
        <h2 id="results-heading" safe>
          {entries.length === 1
            ? "One filter needs fixing"
            : `${formatCount(entries.length)} filters need fixing`}
        </h2>
        <ul>
          {entries.map(([field, message]) => (
            <li>
              <a href={`#${field === "query" ? "q" : field === "cursor" ? "filters" : field}`}>
                <strong safe>{FIELD_LABELS[field]}</strong>: <span safe>{message}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/** The results region alone, for htmx: with the field messages and the live announcement out of band. */
export function JobResultsFragment({ ctx, data }: { ctx: ViewContext; data: JobsPageData }) {
  return (
    <>
      {data.results ? <JobResults ctx={ctx} data={data.results} /> : <FilterProblems errors={data.errors} />}
      <FieldErrorsOob errors={data.errors} />
      <Announcement data={data} oob />
    </>
  );
}

function Announcement({ data, oob = false }: { data: JobsPageData; oob?: boolean }) {
  let text = "";
  if (oob) {
    if (!data.results) text = "Some filters need fixing.";
    else {
      const { counts } = data.results;
      const n = data.results.query.statuses.length
        ? data.results.query.statuses.reduce((sum, s) => sum + counts.byStatus[s], 0)
        : counts.total;
      text = `${counts.capped ? "More than " : ""}${formatCount(n)} ${n === 1 && !counts.capped ? "job" : "jobs"} found.`;
    }
  }
  return (
    <div id="announce" class="visually-hidden" aria-live="polite" hx-swap-oob={oob ? "true" : undefined} safe>
      {text}
    </div>
  );
}

export function JobsPage({
  ctx,
  data,
  defaultConnector = null,
}: {
  ctx: ViewContext;
  data: JobsPageData;
  /** The connector that the page's address means when its query names none (a connector's own page). */
  defaultConnector?: string | null;
}) {
  const title = data.connector ? data.connector.name : "Job Monitor";
  return (
    <Layout ctx={ctx} title={title} section="jobs" skipTo={{ id: "results", label: "Skip to results" }}>
      <div class={data.connector ? "page-head" : "page-head compact"}>
        {data.connector ? (
          <>
            <p class="eyebrow">
              <a href={href(ctx, "/jobs")}>Job Monitor</a> / Connector
            </p>
            <h1 safe>{data.connector.name}</h1>
            <p class="lede">
              <span safe>{CONNECTOR_KIND_LABELS[data.connector.kind]}</span> · ID{" "}
              <span class="mono" safe>
                {data.connector.id}
              </span>{" "}
              ·{" "}
              <a href={href(ctx, `/connectors/${encodeURIComponent(data.connector.id)}/skipped`)}>
                Items skipped again and again
              </a>
            </p>
          </>
        ) : (
          <>
            <h1>Job Monitor</h1>
            <p class="lede">Every backup, restore and download job of your connectors.</p>
          </>
        )}
      </div>
      <JobFilters
        ctx={ctx}
        raw={data.raw}
        errors={data.errors}
        chosenConnectors={data.chosenConnectors}
        path={data.path}
        defaultConnector={defaultConnector}
      />
      <Announcement data={data} />
      {data.results ? <JobResults ctx={ctx} data={data.results} /> : <FilterProblems errors={data.errors} />}
      <div id="dialog-slot" />
    </Layout>
  );
}
