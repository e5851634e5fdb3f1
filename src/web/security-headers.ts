import type { MiddlewareHandler } from "hono";
import type { Config } from "../config";
import { requestIsHttps } from "./client";

/**
 * Headers on every response. The policy allows our own scripts and styles only: no inline script, no
 * eval (htmx is configured to need neither). Framing is allowed to ourselves and FRAME_ANCESTORS only,
 * and X-Frame-Options is left out because it cannot express that list. With HSTS_MAX_AGE, answers to
 * HTTPS requests (directly or through a trusted proxy) tell the browser to use HTTPS only; browsers
 * ignore the header over plain HTTP, and sending it there would only mislead.
 */
export function securityHeaders(config: Config): MiddlewareHandler {
  const ancestors = ["'self'", ...config.frameAncestors].join(" ");
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", policy);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    c.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (!c.res.headers.get("Cache-Control")) c.header("Cache-Control", "no-store");
    if (config.hstsMaxAge > 0 && requestIsHttps(c, config)) {
      c.header("Strict-Transport-Security", `max-age=${config.hstsMaxAge}`);
    }
  };
}
