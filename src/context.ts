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

/** The client's IP address as the socket saw it ("unknown" in tests that call app.request()). */
export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}
