import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { jsonAnswer } from "./json-answer";

// Errors of the engine API are RFC 9457 problem details. Validation problems name the field.

export type FieldProblem = { field: string; message: string };

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): Response {
  const body = { type: "about:blank", title, status, ...(detail ? { detail } : {}), ...extra };
  return jsonAnswer(c, body, status, "application/problem+json");
}

/** A 400 that names the first bad field and lists every one. */
export function invalid(c: Context, errors: FieldProblem[]): Response {
  const first = errors[0] ?? { field: "body", message: "The request is not valid." };
  return problem(c, 400, "Invalid request", `${first.field}: ${first.message}`, {
    field: first.field,
    errors,
  });
}

/** The database is out of reach for now: the engine should send the same request again shortly. */
export function databaseUnavailable(c: Context): Response {
  c.header("Retry-After", "5");
  return problem(c, 503, "Service unavailable", "The service cannot reach its database. Try again shortly.");
}
