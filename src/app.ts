import { Hono } from "hono";
import type { AppDeps } from "./context";
import { engineApi } from "./engine-api/engine-api.routes";

/** Builds the whole service as a Hono app; index.ts serves it and tests call app.request(). */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  const base = new Hono();
  base.route("/api/v1", engineApi(deps));
  base.get("/healthz", (c) => c.text("ok"));
  app.route(deps.config.basePath || "/", base);
  return app;
}
