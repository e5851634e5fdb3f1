import type { JobReportData } from "../../src/jobs/job-report";
import { JOB_TYPE_LABELS } from "../../src/jobs/vocabulary";
import { Layout } from "../layout";
import { JobReport } from "../partials/job-report";
import { JOB_TABLE_COLUMNS } from "../partials/job-row";
import { href, type ViewContext } from "../view-context";

/** The job report as its own page: linkable, and complete without JavaScript. */
export function JobReportPage({ ctx, data }: { ctx: ViewContext; data: JobReportData }) {
  const { job } = data;
  return (
    <Layout ctx={ctx} title={`${JOB_TYPE_LABELS[job.type]} ${job.id}`} section="jobs">
      <div class="page-head">
        <p class="eyebrow">
          <a href={href(ctx, "/jobs")}>Job Monitor</a> /{" "}
          <a href={href(ctx, `/connectors/${encodeURIComponent(job.connectorId)}/jobs`)} safe>
            {job.connectorName}
          </a>
        </p>
        <h1>
          <span safe>{JOB_TYPE_LABELS[job.type]}</span>{" "}
          <span class="mono" safe>
            {job.id}
          </span>
        </h1>
      </div>
      <div class="report-page">
        <JobReport ctx={ctx} data={data} standalone />
      </div>
      <div id="dialog-slot" />
    </Layout>
  );
}

/** The report as a table row that opens under its job's row. */
export function JobReportRow({ ctx, data }: { ctx: ViewContext; data: JobReportData }) {
  return (
    <tr id={`report-${data.job.pk}`} class="report-row">
      <td colspan={String(JOB_TABLE_COLUMNS)}>
        <JobReport ctx={ctx} data={data} standalone={false} />
      </td>
    </tr>
  );
}
