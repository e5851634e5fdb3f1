import { randomUUID } from "node:crypto";
import { purgeExpiredSessions, sessionLimits } from "./auth/sessions";
import type { AppDeps } from "./context";
import { releaseLease, takeLease } from "./db/lease";
import { purgeExpiredSkippedItems } from "./jobs/retention";

const LEASE = "housekeeping";
/** Longer than a clean-up takes; a holder that dies mid-way frees the lease after this. */
const LEASE_MS = 30 * 60_000;

/**
 * Periodic clean-up: expired skipped-item reports, sessions, and one-time portal token records. Every
 * instance asks every few minutes, and one at a time runs it (the one holding the lease); the others
 * skip this turn. `holder` names the asking instance. Returns whether this one ran it.
 */
export async function runHousekeeping(
  { db, clock, config }: AppDeps,
  holder: string = randomUUID(),
): Promise<boolean> {
  const now = clock.now();
  if (!(await takeLease(db, LEASE, holder, now, LEASE_MS))) return false;
  try {
    await purgeExpiredSkippedItems(db, now, config.reportRetentionDays);
    await purgeExpiredSessions(db, now, sessionLimits(config));
    await db.deleteFrom("portal_token_uses").where("expires_at", "<", now.toISOString()).execute();
    await db
      .deleteFrom("ip_throttle")
      .where("window_start", "<", new Date(now.getTime() - 3_600_000).toISOString())
      .execute();
  } finally {
    await releaseLease(db, LEASE, holder);
  }
  return true;
}

export function startHousekeeping(deps: AppDeps, everyMs = 10 * 60_000) {
  const holder = randomUUID();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runHousekeeping(deps, holder);
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
