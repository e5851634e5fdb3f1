import Html from "@kitajs/html";
import { durationBetween, formatDuration } from "../../src/format";
import type { JobRowFacts } from "../../src/jobs/job";
import { canBeCancelled, isActive, isProblem } from "../../src/jobs/rules";
import { summarize } from "../../src/jobs/summary";
import { JOB_TYPE_LABELS } from "../../src/jobs/vocabulary";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { href, type ViewContext } from "../view-context";

export const JOB_TABLE_COLUMNS = 7;

export const jobPath = (job: { id: string }) => `/jobs/${encodeURIComponent(job.id)}`;

function When({ ctx, job }: { ctx: ViewContext; job: JobRowFacts }) {
  if (job.startedAt) return <Time ctx={ctx} iso={job.startedAt} short />;
  if (job.scheduledAt)
    return (
      <span class="muted">
        Due <Time ctx={ctx} iso={job.scheduledAt} short />
      </span>
    );
  return <span class="muted">Not started</span>;
}

/** How long the job ran, or has been running; the end time itself is in the report. */
function Duration({ ctx, job }: { ctx: ViewContext; job: JobRowFacts }) {
  if (job.endedAt && job.startedAt)
    return Html.escapeHtml(formatDuration(durationBetween(job.startedAt, job.endedAt)));
  if (job.startedAt) {
    return (
      <span class="running" safe>
        {`Running ${formatDuration(durationBetween(job.startedAt, ctx.now))}`}
      </span>
    );
  }
  return <span class="muted">—</span>;
}

/** The id of a job's row, which out-of-band updates replace. */
export const jobRowId = (job: Pick<JobRowFacts, "pk">) => `job-${job.pk}`;

export type JobRowProps = {
  ctx: ViewContext;
  job: JobRowFacts;
  /** Cancel buttons appear only where cancelling is offered (not in the embedded read-only views). */
  cancelEnabled?: boolean;
  /** Sent out of band, to replace the row wherever it is on the page. */
  oob?: boolean;
};

/**
 * One job in the table. A running job's row asks for itself again after the refresh interval; a finished
 * job's row has no trigger, so polling stops by itself.
 */
export function JobRow({ ctx, job, cancelEnabled = true, oob = false }: JobRowProps) {
  const active = isActive(job.status);
  const cancelling = job.cancelRequestedAt !== null && active;
  const path = jobPath(job);
  const summary = summarize({
    ...job,
    snapshotPartial: job.snapshot ? job.snapshot.partial : null,
    artifactBytes: job.artifact?.bytes ?? null,
  });
  return (
    <tr
      id={jobRowId(job)}
      data-job-id={job.id}
      class={`job-row${isProblem(job.status) ? " problem" : ""}${active ? " active" : ""}`}
      hx-get={active ? href(ctx, `${path}?part=row`) : undefined}
      hx-trigger={active ? `load delay:${ctx.refreshSeconds}s, jm-poll` : undefined}
      hx-swap={active ? "outerHTML" : undefined}
      hx-headers={active ? '{"X-Background":"1"}' : undefined}
      data-poll={active ? "row" : undefined}
      hx-swap-oob={oob ? "true" : undefined}
    >
      <td>
        <StatusBadge status={job.status} cancelling={cancelling} />
      </td>
      <td safe>{JOB_TYPE_LABELS[job.type]}</td>
      <td>
        <a href={href(ctx, `/connectors/${encodeURIComponent(job.connectorId)}/jobs`)} safe>
          {job.connectorName}
        </a>
      </td>
      <td safe>{summary}</td>
      <td>
        <When ctx={ctx} job={job} />
      </td>
      <td>
        <Duration ctx={ctx} job={job} />
      </td>
      <td class="actions">
        {/* A link to the report page. app.js makes it a disclosure that opens the report under the row
            (its `?part=report`), and gives it aria-expanded and aria-controls then. */}
        <a class="report-toggle" href={href(ctx, path)} aria-label={`Report of job ${job.id}`}>
          Report
        </a>
        {cancelEnabled && canBeCancelled(job) && !cancelling ? (
          <a
            id={`cancel-${job.pk}`}
            class="button button-small button-danger"
            href={href(ctx, `${path}/cancel`)}
            hx-get={href(ctx, `${path}/cancel`)}
            hx-target="#dialog-slot"
            hx-swap="innerHTML"
          >
            Cancel<span class="visually-hidden" safe>{` restore ${job.id}`}</span>
          </a>
        ) : (
          ""
        )}
      </td>
    </tr>
  );
}
