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
