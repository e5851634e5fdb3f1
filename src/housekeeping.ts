import { purgeExpiredSessions, sessionLimits } from "./auth/sessions";
import type { AppDeps } from "./context";
import { purgeExpiredSkippedItems } from "./jobs/retention";

/** Periodic clean-up: expired skipped-item reports, sessions, and one-time portal token records. */
export async function runHousekeeping({ db, clock, config }: AppDeps): Promise<void> {
  const now = clock.now();
  await purgeExpiredSkippedItems(db, now, config.reportRetentionDays);
  await purgeExpiredSessions(db, now, sessionLimits(config));
  await db.deleteFrom("portal_token_uses").where("expires_at", "<", now.toISOString()).execute();
  await db
    .deleteFrom("ip_throttle")
    .where("window_start", "<", new Date(now.getTime() - 3_600_000).toISOString())
    .execute();
}

export function startHousekeeping(deps: AppDeps, everyMs = 10 * 60_000) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runHousekeeping(deps);
    } catch (err) {
      deps.logger.error({ err }, "housekeeping failed");
    } finally {
      busy = false;
    }
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, everyMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
