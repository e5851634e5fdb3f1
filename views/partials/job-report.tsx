import { CONNECTOR_KIND_LABELS, skipsSystemFiles } from "../../src/connectors/connector-kinds";
import { durationBetween, formatBytes, formatCount, formatDate, formatDuration } from "../../src/format";
import type { JobReportData } from "../../src/jobs/job-report";
import { ACTION_LABELS, findReason, guidanceFor, meaningFor, RESTORE_NOTES } from "../../src/jobs/reasons";
import {
  canBeCancelled,
  cancelledBy,
  countsSkippedBytes,
  isActive,
  statusMeaning,
} from "../../src/jobs/rules";
import {
  ITEM_KIND_LABELS,
  isRestoreType,
  JOB_STATUS_LABELS,
  JOB_TYPE_LABELS,
  SKIP_REASON_LABELS,
  STAT_LABELS,
  statsFor,
} from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { ItemName } from "../components/item-name";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { href, type ViewContext } from "../view-context";
import { jobPath } from "./job-row";

type Props = { ctx: ViewContext; data: JobReportData };

function Facts({ ctx, data }: Props) {
  const { job } = data;
  const by = cancelledBy(job);
  return (
    <dl class="facts">
      <div>
        <dt>Job ID</dt>
        <dd class="mono" safe>
          {job.id}
        </dd>
      </div>
      <div>
        <dt>Service ID</dt>
        <dd class="mono" safe>
          {data.serviceId}
        </dd>
      </div>
      <div>
        <dt>Connector</dt>
        <dd>
          <a href={href(ctx, `/connectors/${encodeURIComponent(job.connectorId)}/jobs`)} safe>
            {job.connectorName}
          </a>{" "}
          <span class="muted" safe>
            {`(${CONNECTOR_KIND_LABELS[job.connectorKind] ?? job.connectorKind})`}
          </span>
        </dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd safe>{JOB_TYPE_LABELS[job.type]}</dd>
      </div>
      {job.scheduledAt ? (
        <div>
          <dt>Scheduled</dt>
          <dd>
            <Time ctx={ctx} iso={job.scheduledAt} />
          </dd>
        </div>
      ) : (
        ""
      )}
      <div>
        <dt>Started</dt>
        <dd>
          {job.startedAt ? <Time ctx={ctx} iso={job.startedAt} /> : <span class="muted">Not started</span>}
        </dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>{job.endedAt ? <Time ctx={ctx} iso={job.endedAt} /> : <span class="muted">Not yet</span>}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>
          {job.startedAt ? formatDuration(durationBetween(job.startedAt, job.endedAt ?? ctx.now)) : "—"}
        </dd>
      </div>
      {job.type === "backup" && job.endedAt ? (
        <div>
          <dt>Snapshot</dt>
          <dd>
            {job.snapshot ? (
              <>
                <span class="mono" safe>
                  {job.snapshot.id}
                </span>
                {job.snapshot.partial
                  ? " (partial): what was backed up before the job stopped can be restored."
                  : ""}
              </>
            ) : job.status === "incomplete" ? (
              "No snapshot was made: nothing from this job can be restored."
            ) : job.status === "unsuccessful" && job.reason !== "all_items_skipped" ? (
              "None"
            ) : (
              <span class="muted">Not reported by the engine</span>
            )}
          </dd>
        </div>
      ) : (
        ""
      )}
      {job.cancelRequestedAt ? (
        <div>
          <dt>{by === "user" ? "Cancelled by" : "Cancel requested by"}</dt>
          <dd>
            <span safe>{job.cancelRequestedByEmail ?? "a user who no longer exists"}</span> on{" "}
            <Time ctx={ctx} iso={job.cancelRequestedAt} />
            {isActive(job.status) ? (
              <span class="muted"> (waiting for the engine to stop)</span>
            ) : by === "user" ? (
              ""
            ) : (
              <span class="muted"> (the job finished before its engine could stop it)</span>
            )}
          </dd>
        </div>
      ) : by === "service" ? (
        <div>
          <dt>Cancelled by</dt>
          <dd>The service (maintenance)</dd>
        </div>
      ) : by === "engine" ? (
        <div>
          <dt>Cancelled by</dt>
          <dd>The engine running the job</dd>
        </div>
      ) : (
        ""
      )}
      {job.retryOfJobId ? (
        <div>
          <dt>Retry of</dt>
          <dd>
            <a href={href(ctx, jobPath({ id: job.retryOfJobId }))} class="mono" safe>
              {job.retryOfJobId}
            </a>
          </dd>
        </div>
      ) : (
        ""
      )}
    </dl>
  );
}

function Statistics({ data }: Props) {
  const { job } = data;
  const names = statsFor(job.type);
  if (names.length === 0) return "";
  return (
    <section class="report-section" aria-labelledby={`stats-${job.pk}`}>
      <h3 id={`stats-${job.pk}`}>Statistics{isActive(job.status) ? " so far" : ""}</h3>
      <table class="stats">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Statistic</span>
            </th>
            <th scope="col" class="num">
              Items
            </th>
            <th scope="col" class="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr>
              <th scope="row" safe>
                {STAT_LABELS[name]}
              </th>
              <td class="num" safe>
                {formatCount(job.stats[name].items)}
              </td>
              <td class="num">
                <span safe>{formatBytes(job.stats[name].bytes)}</span>
                <span class="sub" safe>{`${formatCount(job.stats[name].bytes)} bytes`}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        {job.type === "backup"
          ? "Added: new or changed since the last backup. Removed: gone from the cloud service, so left out of this snapshot but kept in older ones. Skipped: could not be reached this time; the next backup tries them again."
          : "Restored: written to the target. Overwritten: replaced a different copy at the target. Skipped: could not be written."}{" "}
        {countsSkippedBytes("folder", job.type)
          ? "The skipped count and size both include folders."
          : "The skipped count includes folders; the skipped size counts items only, not folders."}
      </p>
    </section>
  );
}

function ReasonPanel({ ctx, data }: Props) {
  const { job } = data;
  const reason = findReason(job.reason);
  if (!reason) return "";
  const guidance = guidanceFor(reason, job.type);
  const note = isRestoreType(job.type) ? RESTORE_NOTES[job.connectorKind] : undefined;
  return (
    <section class="report-section reason" aria-labelledby={`reason-${job.pk}`}>
      <h3 id={`reason-${job.pk}`}>
        <Icon name="info" /> <span safe>{reason.title}</span>{" "}
        <span class="mono muted small">{reason.code}</span>
      </h3>
      <p safe>{meaningFor(reason, job.type)}</p>
      {/* What to do, in words: plain text, not a control, since the place to do it is not in this product. */}
      <p class="todo">
        <strong
          class={`action action-${guidance.action}`}
          safe
        >{`${ACTION_LABELS[guidance.action]}:`}</strong>{" "}
        <span safe>{guidance.todo}</span>
      </p>
      {guidance.newJobScheduled ? (
        job.followUpJobId ? (
          <p>
            <Icon name="repeat" /> The new job:{" "}
            <a href={href(ctx, jobPath({ id: job.followUpJobId }))} class="mono" safe>
              {job.followUpJobId}
            </a>
          </p>
        ) : (
          <p class="muted">The new job will appear in the list once it is scheduled.</p>
        )
      ) : (
        ""
      )}
      {note ? (
        <p class="muted" safe>
          {note}
        </p>
      ) : (
        ""
      )}
    </section>
  );
}

function ArtifactPanel({ ctx, data }: Props) {
  const { job } = data;
  if (!job.artifact) return "";
  const valid = job.artifact.expiresAt > ctx.now;
  return (
    <section class="report-section" aria-labelledby={`file-${job.pk}`}>
      <h3 id={`file-${job.pk}`}>Download</h3>
      {valid ? (
        <p>
          <a class="button" href={job.artifact.url} rel="noopener noreferrer">
            <Icon name="download" />
            <span
              safe
            >{`Download the ${job.type === "pst_download" ? "PST" : "ZIP"} file (${formatBytes(job.artifact.bytes)})`}</span>
          </a>{" "}
          <span class="muted">
            Available until <Time ctx={ctx} iso={job.artifact.expiresAt} />
          </span>
        </p>
      ) : (
        <p class="muted">
          The download link expired on <Time ctx={ctx} iso={job.artifact.expiresAt} />. Request the download
          again.
        </p>
      )}
    </section>
  );
}

function skippedUrl(job: { id: string }, query: { reason?: string | null; after?: string | null }) {
  const p = new URLSearchParams();
  if (query.reason) p.set("reason", query.reason);
  if (query.after) p.set("after", query.after);
  const s = p.toString();
  return `${jobPath(job)}${s ? `?${s}` : ""}`;
}

/** The skipped items: a page at a time, by reason, with the CSV of all of them. */
export function SkippedItems({ ctx, data }: Props) {
  const { job, skipped } = data;
  const id = `skipped-${job.pk}`;
  const swap = (url: string) => ({
    href: href(ctx, `${url}#${id}`),
    "hx-get": href(ctx, `${url}${url.includes("?") ? "&" : "?"}part=skipped`),
    "hx-target": `#${id}`,
    "hx-swap": "outerHTML show:none",
  });
  return (
    <section id={id} class="report-section skipped" aria-labelledby={`${id}-heading`} tabindex="-1">
      <h3 id={`${id}-heading`}>Skipped items</h3>
      {job.stats.skipped.items === 0 ? (
        <p class="muted">{isActive(job.status) ? "No items skipped so far." : "No items were skipped."}</p>
      ) : skipped.expired ? (
        <p class="expired">
          <Icon name="clock" />{" "}
          <span
            safe
          >{`Skipped-items report expired on ${formatDate(skipped.expiresAt ?? ctx.now, ctx.timeZone)}.`}</span>{" "}
          Lists of skipped items are kept for a limited time after a job ends; the counts above remain.
        </p>
      ) : (
        <>
          <div class="skipped-toolbar">
            <p>
              <span
                safe
              >{`${formatCount(job.stats.skipped.items)} ${job.stats.skipped.items === 1 ? "item" : "items"} (${formatBytes(job.stats.skipped.bytes)})`}</span>
              {skipped.expiresAt ? (
                <span class="muted">
                  {" "}
                  · list kept until <Time ctx={ctx} iso={skipped.expiresAt} />
                </span>
              ) : (
                ""
              )}
            </p>
            <a class="button" href={href(ctx, `${jobPath(job)}/skipped.csv`)} download="">
              <Icon name="download" />
              Download CSV
            </a>
          </div>
          {job.type === "backup" && skipsSystemFiles(job.connectorKind) ? (
            <p class="muted">
              Backups of this kind of connector often skip system files that hold no customer data and are not
              needed for a restore.
            </p>
          ) : (
            ""
          )}
          {data.overlap && data.overlap.count > 0 ? (
            <p class="overlap">
              <Icon name="repeat" />{" "}
              <span
                safe
              >{`${formatCount(data.overlap.count)} of these were also skipped by the previous backup (`}</span>
              <a href={href(ctx, jobPath({ id: data.overlap.previousJobId }))} class="mono" safe>
                {data.overlap.previousJobId}
              </a>
              ).{" "}
              <a href={href(ctx, `/connectors/${encodeURIComponent(job.connectorId)}/skipped`)}>
                See items skipped again and again
              </a>
            </p>
          ) : (
            ""
          )}
          <nav class="reason-filter" aria-label="Skipped items by reason">
            <a {...swap(skippedUrl(job, {}))} aria-current={skipped.reason ? undefined : "true"} class="chip">
              All reasons
            </a>
            {skipped.byReason.map(([reason, n]) => (
              <a
                {...swap(skippedUrl(job, { reason }))}
                aria-current={skipped.reason === reason ? "true" : undefined}
                class="chip"
              >
                <span safe>{SKIP_REASON_LABELS[reason]}</span>
                <span class="count" safe>
                  {formatCount(n)}
                </span>
              </a>
            ))}
          </nav>
          {skipped.page?.items.length ? (
            <div class="table-wrap cards-on-phones">
              <table class="skipped-items">
                <caption class="visually-hidden">
                  {skipped.reason ? `Skipped items: ${SKIP_REASON_LABELS[skipped.reason]}` : "Skipped items"}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col" class="num">
                      Size
                    </th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {skipped.page.items.map((item) => (
                    <tr>
                      <td data-label="Name">
                        <ItemName name={item.name} path={item.path} />
                      </td>
                      <td safe data-label="Kind">
                        {ITEM_KIND_LABELS[item.kind]}
                      </td>
                      <td class="num" data-label="Size">
                        {!countsSkippedBytes(item.kind, job.type) ? (
                          <span class="muted" title="A backup does not count the size of folders">
                            —
                          </span>
                        ) : item.size === null ? (
                          <span class="muted" title="No size reported">
                            —
                          </span>
                        ) : (
                          <span title={`${formatCount(item.size)} bytes`} safe>
                            {formatBytes(item.size)}
                          </span>
                        )}
                      </td>
                      <td safe data-label="Reason">
                        {SKIP_REASON_LABELS[item.reason]}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">No skipped items with this reason.</p>
          )}
          {skipped.afterKey || skipped.page?.nextKey ? (
            <nav class="pager" aria-label="Pages of skipped items">
              {skipped.afterKey ? (
                <a class="button" {...swap(skippedUrl(job, { reason: skipped.reason }))}>
                  First page
                </a>
              ) : (
                ""
              )}
              {skipped.page?.nextKey ? (
                <a
                  class="button"
                  rel="next"
                  {...swap(skippedUrl(job, { reason: skipped.reason, after: skipped.page.nextKey }))}
                >
                  Next 50 →
                </a>
              ) : (
                ""
              )}
            </nav>
          ) : (
            ""
          )}
        </>
      )}
    </section>
  );
}

function SupportDetails({ data }: { data: JobReportData }) {
  const { job } = data;
  const id = `support-${job.pk}`;
  const lines = [
    `Service ID: ${data.serviceId}`,
    `Connector: ${job.connectorName} (${job.connectorId})`,
    `Job ID: ${job.id}`,
    `Type: ${JOB_TYPE_LABELS[job.type]}`,
    `Status: ${JOB_STATUS_LABELS[job.status]}`,
    `Reason code: ${job.reason ?? "none"}`,
    `Scheduled: ${job.scheduledAt ?? "—"}`,
    `Started: ${job.startedAt ?? "—"}`,
    `Ended: ${job.endedAt ?? "—"}`,
  ];
  return (
    <section class="report-section support" aria-labelledby={`${id}-heading`}>
      <div class="support-head">
        <h3 id={`${id}-heading`}>Support details</h3>
        <button type="button" class="button button-small" data-copy-target={id}>
          <Icon name="copy" /> Copy <span class="copy-status visually-hidden" role="status" />
        </button>
      </div>
      <pre id={id} class="support-text" safe>
        {lines.join("\n")}
      </pre>
      <p class="muted small">Times in UTC. Give these to support when you contact them about this job.</p>
    </section>
  );
}

/** The id of a job's report body, which out-of-band updates replace. */
export const reportBodyId = (job: { pk: number }) => `report-body-${job.pk}`;

/** The whole job report; the same markup opens under a row and stands as its own page. */
export function JobReport({
  ctx,
  data,
  standalone,
  oob = false,
}: Props & { standalone: boolean; oob?: boolean }) {
  const { job } = data;
  const active = isActive(job.status);
  const cancelling = job.cancelRequestedAt !== null && active;
  return (
    <div
      id={reportBodyId(job)}
      class="report"
      hx-get={
        active ? href(ctx, `${jobPath(job)}?part=${standalone ? "report-page" : "report-body"}`) : undefined
      }
      hx-trigger={active ? `load delay:${ctx.refreshSeconds}s, jm-poll` : undefined}
      hx-target={active ? "this" : undefined}
      hx-swap={active ? "outerHTML" : undefined}
      hx-headers={active ? '{"X-Background":"1"}' : undefined}
      data-poll={active ? "report" : undefined}
      hx-swap-oob={oob ? "true" : undefined}
    >
      <div class="report-head">
        <StatusBadge status={job.status} cancelling={cancelling} />
        <p class="status-meaning" safe>
          {cancelling
            ? "A user asked to cancel this job. It stops when its engine next reports."
            : statusMeaning(job.type, job.status, job)}
        </p>
        <div class="report-actions">
          {canBeCancelled(job) && !cancelling ? (
            <a
              id={`report-cancel-${job.pk}`}
              class="button button-danger"
              href={href(ctx, `${jobPath(job)}/cancel`)}
              hx-get={href(ctx, `${jobPath(job)}/cancel`)}
              hx-target="#dialog-slot"
              hx-swap="innerHTML"
            >
              Cancel restore
            </a>
          ) : (
            ""
          )}
          {standalone ? (
            ""
          ) : (
            <a class="button button-quiet" href={href(ctx, jobPath(job))}>
              Open as page <Icon name="external" />
            </a>
          )}
        </div>
      </div>
      {job.description ? (
        <p class="report-description" safe>
          {job.description}
        </p>
      ) : (
        ""
      )}
      <div class="report-grid">
        <div>
          <Facts ctx={ctx} data={data} />
        </div>
        <div>
          <ReasonPanel ctx={ctx} data={data} />
          <Statistics ctx={ctx} data={data} />
          <ArtifactPanel ctx={ctx} data={data} />
        </div>
      </div>
      <SkippedItems ctx={ctx} data={data} />
      <SupportDetails data={data} />
    </div>
  );
}
