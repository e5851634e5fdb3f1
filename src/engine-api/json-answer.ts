import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * A JSON answer sent as bytes with its Content-Length. The compress middleware leaves answers under its
 * threshold alone only when it knows their length, and most engine answers (one job, one event) are small.
 */
export function jsonAnswer(
  c: Context,
  value: unknown,
  status: ContentfulStatusCode = 200,
  contentType = "application/json",
): Response {
  const body = Buffer.from(JSON.stringify(value));
  return c.body(body, status, { "Content-Type": contentType, "Content-Length": String(body.length) });
}
