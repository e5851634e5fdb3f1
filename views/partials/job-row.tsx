import { durationBetween, formatBytes, formatCount, formatDuration } from "../../src/format";
import type { Job } from "../../src/jobs/job";
import { canBeCancelled, isActive, isProblem } from "../../src/jobs/rules";
import { summarize } from "../../src/jobs/summary";
import { isRestoreType, JOB_TYPE_LABELS } from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { href, type ViewContext } from "../view-context";

export const JOB_TABLE_COLUMNS = 9;

export const jobPath = (job: { id: string }) => `/jobs/${encodeURIComponent(job.id)}`;

/** The headline amount of a job: what it backed up, restored, or prepared. */
function amountOf(job: Job): { items: number | null; bytes: number | null } {
  if (job.status === "scheduled") return { items: null, bytes: null };
  if (job.type === "backup") return job.stats.added;
  if (isRestoreType(job.type)) {
    return {
      items: job.stats.restored.items + job.stats.overwritten.items,
      bytes: job.stats.restored.bytes + job.stats.overwritten.bytes,
    };
  }
  return { items: null, bytes: job.artifact?.bytes ?? null };
}

function When({ ctx, job }: { ctx: ViewContext; job: Job }) {
  if (job.startedAt) return <Time ctx={ctx} iso={job.startedAt} />;
  if (job.scheduledAt)
    return (
      <span class="muted">
        Scheduled <Time ctx={ctx} iso={job.scheduledAt} />
      </span>
    );
  return <span class="muted">Not started</span>;
}

function Ended({ ctx, job }: { ctx: ViewContext; job: Job }) {
  if (job.endedAt) {
    return (
      <>
        <Time ctx={ctx} iso={job.endedAt} />
        {job.startedAt ? (
          <span class="sub" safe>
            {formatDuration(durationBetween(job.startedAt, job.endedAt))}
          </span>
        ) : (
          ""
        )}
      </>
    );
  }
  if (job.startedAt) {
    return (
      <span class="running" safe>
        {`Running for ${formatDuration(durationBetween(job.startedAt, ctx.now))}`}
      </span>
    );
  }
  return <span class="muted">—</span>;
}

/** The id of a job's row, which out-of-band updates replace. */
export const jobRowId = (job: Pick<Job, "pk">) => `job-${job.pk}`;

export type JobRowProps = {
  ctx: ViewContext;
  job: Job;
  /** Whether the job's report is open under the row. */
  expanded?: boolean;
  /** Cancel buttons appear only where cancelling is offered (not in the embedded read-only views). */
  cancelEnabled?: boolean;
  /** Sent out of band, to replace the row wherever it is on the page. */
  oob?: boolean;
};

/**
 * One job in the table. A running job's row asks for itself again after the refresh interval; a finished
 * job's row has no trigger, so polling stops by itself.
 */
export function JobRow({ ctx, job, expanded = false, cancelEnabled = true, oob = false }: JobRowProps) {
  const active = isActive(job.status);
  const cancelling = job.cancelRequestedAt !== null && active;
  const amount = amountOf(job);
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
      <td class="description">
        <span class="summary" safe>
          {summary}
        </span>
      </td>
      <td class="nowrap started">
        <When ctx={ctx} job={job} />
      </td>
      <td class="nowrap">
        <Ended ctx={ctx} job={job} />
      </td>
      <td class="num">
        {amount.items !== null ? <span safe>{formatCount(amount.items)}</span> : ""}
        {amount.bytes !== null ? (
          <span class="sub" title={`${formatCount(amount.bytes)} bytes`} safe>
            {formatBytes(amount.bytes)}
          </span>
        ) : (
          ""
        )}
        {amount.items === null && amount.bytes === null ? <span class="muted">—</span> : ""}
      </td>
      <td class="actions">
        <a
          id={`report-toggle-${job.pk}`}
          class="report-toggle"
          href={href(ctx, path)}
          hx-get={href(ctx, `${path}?part=report`)}
          hx-target={`#job-${job.pk}`}
          hx-swap="afterend"
          aria-expanded={expanded ? "true" : "false"}
          aria-controls={`report-${job.pk}`}
        >
          <Icon name="chevron" class="chevron" />
          Report<span class="visually-hidden" safe>{` of job ${job.id}`}</span>
        </a>
      </td>
      <td class="actions">
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
