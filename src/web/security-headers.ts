import type { MiddlewareHandler } from "hono";
import type { Config } from "../config";

/**
 * Headers on every response. The policy allows our own scripts and styles only: no inline script, no
 * eval (htmx is configured to need neither). Framing is allowed to ourselves and FRAME_ANCESTORS only,
 * and X-Frame-Options is left out because it cannot express that list.
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
  };
}
