import { Hono } from "hono";
import { JobReportPage, JobReportRow } from "../../views/pages/job-report-page";
import { MessagePage } from "../../views/pages/message-page";
import { JobReport, SkippedItems } from "../../views/partials/job-report";
import { JobRow } from "../../views/partials/job-row";
import type { AppDeps } from "../context";
import { attachment } from "../csv";
import { formatDate } from "../format";
import { missingPage } from "../web/error-pages";
import { html, isHtmx, type PageEnv, viewContext } from "../web/pages";
import { iterateJobs, toJobFilter } from "./job-list";
import { parseJobQuery } from "./job-query";
import { loadJobReport, parseReportQuery } from "./job-report";
import { jobsCsv, skippedItemsCsv } from "./jobs.csv";
import { findJob, findJobRow } from "./jobs.repository";
import { skippedReportExpired, skippedReportExpiry } from "./retention";
import { iterateSkippedItems } from "./skipped-items.repository";

/** A job's report (row, fragment or page), its skipped-items CSV, and the job list CSV. */
export function jobReportRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, clock, config } = deps;
  const routes = new Hono<PageEnv>();

  routes.get("/jobs.csv", async (c) => {
    const session = c.get("session")!;
    const ctx = viewContext(c, deps, assets);
    const { query, errors } = parseJobQuery(c.req.queries(), {
      now: clock.now(),
      timeZone: ctx.timeZone,
      strict: false,
    });
    const { filter, unknownConnector } = await toJobFilter(db, session.account.id, query);
    const problems = Object.values(errors);
    if (unknownConnector) problems.push(`There is no connector “${unknownConnector.slice(0, 60)}”.`);
    if (problems.length) {
      return html(
        c,
        <MessagePage ctx={ctx} title="The download's filters are not valid" message={problems.join(" ")} />,
        400,
      );
    }
    const day = clock.now().toISOString().slice(0, 10);
    return new Response(jobsCsv(iterateJobs(db, filter, query.order)), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": attachment(`jobs_${session.account.serviceId}_${day}.csv`),
        "Cache-Control": "no-store",
      },
    });
  });

  routes.get("/jobs/:jobId/skipped.csv", async (c) => {
    const session = c.get("session")!;
    const job = await findJob(db, session.account.id, c.req.param("jobId"));
    const ctx = viewContext(c, deps, assets);
    if (!job) {
      return missingPage(c, ctx, "job");
    }
    const now = clock.now();
    if (job.skippedPurgedAt || skippedReportExpired(job.endedAt, config.reportRetentionDays, now)) {
      const expiry = skippedReportExpiry(job.endedAt, config.reportRetentionDays)!;
      return html(
        c,
        <MessagePage
          ctx={ctx}
          title="Skipped-items report expired"
          message={`Skipped-items report expired on ${formatDate(expiry.toISOString(), ctx.timeZone)}. Lists of skipped items are kept for ${config.reportRetentionDays} days after a job ends; the job's statistics remain in its report.`}
          back={{ path: `/jobs/${encodeURIComponent(job.id)}`, label: "Back to the job report" }}
        />,
        410,
      );
    }
    const day = (job.startedAt ?? job.sortAt).slice(0, 10);
    return new Response(skippedItemsCsv(job, iterateSkippedItems(db, job.pk)), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": attachment(`skipped-items_${job.connectorName}_${job.id}_${day}.csv`),
        "Cache-Control": "no-store",
      },
    });
  });

  routes.get("/jobs/:jobId", async (c) => {
    const session = c.get("session")!;
    const ctx = viewContext(c, deps, assets);
    const part = isHtmx(c) ? c.req.query("part") : undefined;
    if (part === "row") {
      // Polled for every running row: one statement, for what the row shows.
      const job = await findJobRow(db, session.account.id, c.req.param("jobId"));
      if (!job) return c.text("This job is not in your account.", 404);
      return html(c, <JobRow ctx={ctx} job={job} />);
    }
    const { query, error } = parseReportQuery({ reason: c.req.query("reason"), after: c.req.query("after") });
    const data = await loadJobReport(db, session.account, c.req.param("jobId"), {
      now: clock.now(),
      retentionDays: config.reportRetentionDays,
      query,
    });
    if (!data) {
      if (part) return c.text("This job is not in your account.", 404);
      return missingPage(c, ctx, "job");
    }
    if (error) {
      return html(
        c,
        <MessagePage
          ctx={ctx}
          title="This address is not valid"
          message={error}
          back={{ path: `/jobs/${encodeURIComponent(data.job.id)}`, label: "Open the job report" }}
        />,
        400,
      );
    }
    switch (part) {
      case "report":
        return html(c, <JobReportRow ctx={ctx} data={data} />);
      case "report-body":
        return html(c, <JobReport ctx={ctx} data={data} standalone={false} />);
      case "report-page":
        return html(c, <JobReport ctx={ctx} data={data} standalone />);
      case "skipped":
        return html(c, <SkippedItems ctx={ctx} data={data} />);
      default:
        return html(c, <JobReportPage ctx={ctx} data={data} />);
    }
  });

  return routes;
}
