import { createHash } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { recordAudit } from "../audit/audit.repository";
import { verifyApiToken } from "../auth/api-tokens";
import { upsertConnector } from "../connectors/connectors.repository";
import type { AppDeps } from "../context";
import { isUnavailable } from "../db/store";
import { inTransaction } from "../db/transaction";
import { type Job, toJobJson } from "../jobs/job";
import { JobChangeRefused, recordEvent, registerJob, reindexConnectorJobs } from "../jobs/job-lifecycle";
import { listJobs, toJobFilter } from "../jobs/job-list";
import { encodeCursor, parseJobQuery } from "../jobs/job-query";
import { findJob } from "../jobs/jobs.repository";
import { jobsChanged } from "../jobs/jobs-version";
import { clientIp } from "../web/client";
import { jsonAnswer } from "./json-answer";
import { databaseUnavailable, invalid, problem } from "./problem";
import { connectorBody, eventBody, fieldProblems, idSchema, jobBody } from "./schemas";

// The API engines report to (PRODUCT.md §4). Every answer is JSON; every error is problem+json.

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

type EngineEnv = { Variables: { accountId: number } };

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.output<S>>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    return {
      ok: false,
      response: problem(
        c,
        415,
        "Unsupported media type",
        "Send the body as JSON with Content-Type: application/json.",
      ),
    };
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return { ok: false, response: invalid(c, [{ field: "body", message: "could not be read" }]) };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, response: invalid(c, [{ field: "body", message: "is not valid JSON" }]) };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, response: invalid(c, fieldProblems(parsed.error)) };
  return { ok: true, value: parsed.data };
}

function checkId(c: Context, field: string, value: string): Response | null {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? null : invalid(c, [{ field, message: parsed.error.issues[0]!.message }]);
}

function refused(c: Context, e: JobChangeRefused): Response {
  const extra: Record<string, unknown> = e.field ? { field: e.field } : {};
  if (e.job) {
    // An engine that lost track can resynchronise from what the service holds.
    extra.job = toJobJson(e.job);
    extra.cancelRequested = e.job.cancelRequestedAt !== null;
    extra.expectedSeq = e.job.lastSeq + 1;
  }
  if (e.kind === "not_found") return problem(c, 404, "Not found", e.message, extra);
  if (e.kind === "invalid") return invalid(c, [{ field: e.field ?? "body", message: e.message }]);
  return problem(c, 409, "Conflict", e.message, extra);
}

const eventAnswer = (job: Job) => ({ job: toJobJson(job), cancelRequested: job.cancelRequestedAt !== null });

export function engineApi({ db, clock, logger, config }: AppDeps) {
  const api = new Hono<EngineEnv>();

  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problem(c, 413, "Request body too large", "Request bodies are limited to 16 MiB."),
    }),
  );

  api.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const account = token ? await verifyApiToken(db, token) : null;
    if (!account) {
      if (token) {
        await recordAudit(db, {
          accountId: null,
          event: "engine_token_failed",
          at: clock.now().toISOString(),
          ip: clientIp(c, config),
          detail: `${c.req.method} ${c.req.path}`,
        });
      }
      c.header("WWW-Authenticate", 'Bearer realm="job-monitor"');
      return problem(
        c,
        401,
        "Unauthorized",
        token ? "The API token is not valid." : "Send an API token: Authorization: Bearer <token>.",
      );
    }
    c.set("accountId", account.accountId);
    await next();
  });

  api.put("/connectors/:connectorId", async (c) => {
    const connectorId = c.req.param("connectorId");
    const badId = checkId(c, "connectorId", connectorId);
    if (badId) return badId;
    const body = await readJson(c, connectorBody);
    if (!body.ok) return body.response;
    const result = await inTransaction(db, async (trx) => {
      const upsert = await upsertConnector(
        trx,
        c.get("accountId"),
        { id: connectorId, ...body.value },
        clock.now().toISOString(),
      );
      // Free text searches the connector name, so a new name must reach its jobs' search text.
      if (upsert.renamed) {
        await reindexConnectorJobs(trx, upsert.connector.pk, upsert.connector.name);
        await jobsChanged(trx, c.get("accountId"));
      }
      return upsert;
    });
    const { id, name, kind } = result.connector;
    return jsonAnswer(c, { connector: { id, name, kind } }, result.created ? 201 : 200);
  });

  api.post("/jobs", async (c) => {
    const body = await readJson(c, jobBody);
    if (!body.ok) return body.response;
    try {
      const { created, job } = await registerJob(db, clock, c.get("accountId"), body.value);
      return jsonAnswer(c, { job: toJobJson(job) }, created ? 201 : 200);
    } catch (e) {
      if (e instanceof JobChangeRefused) return refused(c, e);
      throw e;
    }
  });

  api.get("/jobs", async (c) => {
    const { query, errors } = parseJobQuery(c.req.queries(), {
      now: clock.now(),
      timeZone: "UTC",
      strict: true,
    });
    const bad = Object.entries(errors).map(([field, message]) => ({ field, message: message! }));
    if (bad.length) return invalid(c, bad);
    const { filter, unknownConnector } = await toJobFilter(db, c.get("accountId"), query);
    if (unknownConnector)
      return invalid(c, [{ field: "connector", message: `no connector “${unknownConnector}”` }]);
    const page = await listJobs(db, filter, query);
    return jsonAnswer(c, {
      jobs: page.jobs.map(toJobJson),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  api.get("/jobs/:jobId", async (c) => {
    const job = await findJob(db, c.get("accountId"), c.req.param("jobId"));
    if (!job) return problem(c, 404, "Not found", `No job with ID "${c.req.param("jobId")}".`);
    return jsonAnswer(c, { job: toJobJson(job) });
  });

  api.post("/jobs/:jobId/events", async (c) => {
    const body = await readJson(c, eventBody);
    if (!body.ok) return body.response;
    // The validated event, serialised in schema order, is the body's identity for replays.
    const hash = createHash("sha256").update(JSON.stringify(body.value)).digest("base64url");
    try {
      const { job } = await recordEvent(
        db,
        clock,
        c.get("accountId"),
        c.req.param("jobId"),
        body.value,
        hash,
      );
      return jsonAnswer(c, eventAnswer(job));
    } catch (e) {
      if (e instanceof JobChangeRefused) return refused(c, e);
      throw e;
    }
  });

  // A sub-app's notFound is not used once it is mounted with route(), so a catch-all answers instead.
  const noEndpoint = (c: Context) => problem(c, 404, "Not found", "There is no such API endpoint.");
  api.all("*", noEndpoint);
  api.notFound(noEndpoint);
  api.onError((err, c) => {
    if (isUnavailable(db, err)) {
      logger.warn({ err: { message: err.message }, path: c.req.path }, "database unavailable");
      return databaseUnavailable(c);
    }
    logger.error({ err, path: c.req.path }, "engine API request failed");
    return problem(
      c,
      500,
      "Internal error",
      "The service could not handle this request. It has been logged.",
    );
  });
  return api;
}
