import { Hono } from "hono";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import { auditRoutes } from "./audit/audit.routes";
import { authRoutes } from "./auth/auth.routes";
import { portalRoutes } from "./auth/portal.routes";
import { connectorPickerRoutes } from "./connectors/connector-picker.routes";
import type { AppDeps } from "./context";
import { isUnavailable } from "./db/store";
import { engineApi } from "./engine-api/engine-api.routes";
import { databaseUnavailable, problem } from "./engine-api/problem";
import { cancelRoutes } from "./jobs/cancel.routes";
import { jobListRoutes } from "./jobs/job-list.routes";
import { jobReportRoutes } from "./jobs/job-report.routes";
import { skippedAgainRoutes } from "./jobs/skipped-again.routes";
import { settingsRoutes } from "./settings/settings.routes";
import { loadAssets } from "./web/assets";
import { notFoundPage, serverErrorPage } from "./web/error-pages";
import { formBody } from "./web/forms";
import { csrfProtection, type PageEnv, requireSession, sessionLoader } from "./web/pages";
import { securityHeaders } from "./web/security-headers";

/** Builds the whole service as a Hono app; index.ts serves it and tests call app.request(). */
export function createApp(deps: AppDeps) {
  const { config, logger } = deps;
  const assets = loadAssets(config.basePath);

  /** The product's pages; mounted twice, as the full product and as the chrome-less embedded one. */
  function pages(embed: boolean) {
    const p = new Hono<PageEnv>();
    p.use("*", async (c, next) => {
      c.set("embed", embed);
      await next();
    });
    p.use("*", sessionLoader(deps));
    p.use("*", formBody(deps, assets.urls));
    p.use(
      "*",
      csrfProtection(deps, (path) => path.endsWith("/portal/sign-in")),
    );
    p.route("/", authRoutes(deps, assets.urls));
    p.route("/", portalRoutes(deps, assets.urls));
    p.use("*", requireSession(config));
    p.get("/", (c) => c.redirect(`${config.basePath}${embed ? "/embed" : ""}/jobs`, 302));
    p.route("/", jobListRoutes(deps, assets.urls));
    p.route("/", connectorPickerRoutes(deps, assets.urls));
    p.route("/", jobReportRoutes(deps, assets.urls));
    p.route("/", cancelRoutes(deps, assets.urls));
    p.route("/", skippedAgainRoutes(deps, assets.urls));
    p.route("/", settingsRoutes(deps, assets.urls));
    p.route("/", auditRoutes(deps, assets.urls));
    p.all("*", (c) => notFoundPage(c, deps, assets.urls));
    return p;
  }

  const base = new Hono();
  base.route("/api/v1", engineApi(deps));
  base.route("/assets", assets.routes);
  base.get("/healthz", (c) => c.text("ok"));
  if (config.benchCeiling) {
    // The benchmark's ceiling: the same server answering a constant page of a given size.
    const pages = new Map<number, string>();
    base.get("/bench/ceiling", (c) => {
      const bytes = Math.min(Math.max(Number(c.req.query("bytes")) || 1, 1), 1_000_000);
      let body = pages.get(bytes);
      if (!body) {
        body = "x".repeat(bytes);
        pages.set(bytes, body);
      }
      return c.html(body);
    });
  }
  base.route("/embed", pages(true));
  base.route("/", pages(false));

  const app = new Hono();
  app.use("*", securityHeaders(config));
  // Pages, JSON and CSV go out compressed to clients that accept it (static assets are compressed once).
  // Below 4 KB (an engine's event answer, a polled row) compressing costs more CPU than it saves in time
  // on the wire: with it, gzip took a tenth of the server's time under engine load.
  app.use(
    "*",
    compress({
      threshold: 4096,
      contentTypeFilter: /^(text\/(html|csv)|application\/(json|problem\+json))/,
    }),
  );
  app.route(config.basePath || "/", base);
  app.notFound((c) => c.text("Not found", 404));
  app.onError((err, c) => {
    // A refusal thrown on purpose (a 4xx) is an answer, not a failure of the service.
    if (err instanceof HTTPException && err.status < 500) return err.getResponse();
    // A length set for the answer that failed must not describe the error page that replaces it.
    c.header("Content-Length", undefined);
    if (isUnavailable(deps.db, err)) {
      // The database is out of reach (down or restarting): every change was one transaction, so nothing
      // is half-applied, and the pool reconnects by itself once it is back.
      logger.warn({ err: { message: err.message }, path: c.req.path }, "database unavailable");
      if (c.req.path.startsWith(`${config.basePath}/api/`)) return databaseUnavailable(c);
      c.header("Retry-After", "5");
      return c.text("The Job Monitor cannot reach its database just now. Try again in a moment.", 503);
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, "request failed");
    if (c.req.path.startsWith(`${config.basePath}/api/`)) {
      return problem(
        c,
        500,
        "Internal error",
        "The service could not handle this request. It has been logged.",
      );
    }
    return serverErrorPage(c, deps, assets.urls);
  });
  return app;
}
