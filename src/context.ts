import type { Context } from "hono";
import type { Logger } from "pino";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Db } from "./db/database";

/** What every route needs, built once by index.ts (or a test) and handed to createApp. */
export type AppDeps = {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
};

/**
 * The client's IP address: the socket's, or behind a trusted reverse proxy (TRUST_PROXY) the first
 * address of X-Forwarded-For. "unknown" in tests that call app.request() without either.
 */
export function clientIp(c: Context, config: Pick<Config, "trustProxy">): string {
  if (config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}
