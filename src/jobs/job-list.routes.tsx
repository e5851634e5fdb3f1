import { type Context, Hono } from "hono";
import { JobResultsFragment, JobsPage } from "../../views/pages/jobs-page";
import { NewJobsNotice } from "../../views/partials/job-results";
import { findConnector } from "../connectors/connectors.repository";
import type { AppDeps } from "../context";
import { missingPage } from "../web/error-pages";
import { html, htmxTarget, isHtmx, type PageEnv, viewContext } from "../web/pages";
import { countNewJobs, loadJobMonitor } from "./job-monitor";

/** The Job Monitor page, its per-connector entry, and the "new jobs" notice it polls. */
export function jobListRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, clock } = deps;
  const routes = new Hono<PageEnv>();

  /** `defaultConnector`: the connector the address means when its query names none. */
  async function monitor(c: Context<PageEnv>, params: Record<string, string[]>, defaultConnector?: string) {
    const ctx = viewContext(c, deps, assets);
    const session = c.get("session")!;
    const data = await loadJobMonitor(db, session.account.id, params, {
      now: clock.now(),
      timeZone: ctx.timeZone,
    });
    const status = data.results ? 200 : 400;
    if (isHtmx(c) && htmxTarget(c) === "results") {
      return html(c, <JobResultsFragment ctx={ctx} data={data} />, status);
    }
    return html(c, <JobsPage ctx={ctx} data={data} defaultConnector={defaultConnector} />, status);
  }

  routes.get("/jobs", (c) => monitor(c, c.req.queries()));

  routes.get("/connectors/:connectorId/jobs", async (c) => {
    const session = c.get("session")!;
    const connector = await findConnector(db, session.account.id, c.req.param("connectorId"));
    if (!connector) {
      const ctx = viewContext(c, deps, assets);
      return missingPage(c, ctx, "connector");
    }
    return monitor(c, { ...c.req.queries(), connector: [connector.id] }, connector.id);
  });

  routes.get("/new-jobs", async (c) => {
    const since = Number(c.req.query("since"));
    const params = c.req.queries();
    if (!isHtmx(c)) {
      // Opened directly: the notice is part of the Job Monitor, so show that.
      const url = new URL(c.req.url);
      url.searchParams.delete("since");
      return c.redirect(`${deps.config.basePath}${c.get("embed") ? "/embed" : ""}/jobs${url.search}`, 302);
    }
    if (!Number.isSafeInteger(since) || since < 0) return c.text("since must be a job number", 400);
    const ctx = viewContext(c, deps, assets);
    const session = c.get("session")!;
    const { query, count } = await countNewJobs(db, session.account.id, params, since, {
      now: clock.now(),
      timeZone: ctx.timeZone,
    });
    return html(c, <NewJobsNotice ctx={ctx} path="/jobs" query={query} since={since} count={count} />);
  });

  return routes;
}
