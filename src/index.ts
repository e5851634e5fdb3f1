import { createApp } from "./app";
import { systemClock } from "./clock";
import { ConfigError, loadConfig } from "./config";
import { checkDatabase, DatabaseUnreachableError, openConfiguredDatabase } from "./db/connection";
import { migrateToLatest } from "./db/migrate";
import { startDemo } from "./demo/demo";
import { startHousekeeping } from "./housekeeping";
import { createLogger } from "./logger";
import { startServer } from "./server";

// The only file that listens: config → database → migrations → (demo) → serve → graceful stop.

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const db = openConfiguredDatabase(config);
  try {
    await checkDatabase(db, config.databaseUrl);
  } catch (e) {
    if (e instanceof DatabaseUnreachableError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, "database migrated");

  const deps = { config, db, clock: systemClock, logger };
  const demo = config.demo ? await startDemo(deps) : null;
  const housekeeping = startHousekeeping(deps);
  const app = createApp(deps);

  const server = startServer(app.fetch, config, (info) => {
    const url = `http://${info.address === "::1" ? "localhost" : info.address}:${info.port}${config.basePath}/jobs`;
    logger.info({ url }, "Job Monitor is listening");
    if (demo) {
      console.log(
        `\n  Job Monitor demo: ${url}\n  Sign in as ${demo.email} with password ${demo.password}\n`,
      );
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new requests, finishing the ones in flight");
    demo?.stop();
    housekeeping.stop();
    // Force-close idle keep-alive sockets so close() does not wait for browsers to hang up.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await demo?.stopped;
      await db.destroy();
      logger.info("stopped");
      process.exit(0);
    });
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
