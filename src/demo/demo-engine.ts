import { MINUTE } from "../clock";
import type { AppDeps } from "../context";
import { JobChangeRefused, recordEvent, registerJob } from "../jobs/job-lifecycle";
import { findJob } from "../jobs/jobs.repository";
import { listSkippedItems } from "../jobs/skipped-items.repository";
import { isRestoreType, type JobType } from "../jobs/vocabulary";
import {
  backupDescription,
  DEMO_CONNECTORS,
  type DemoConnector,
  downloadDescription,
  Random,
  restoreDescription,
} from "./demo-data";
import { backupScript, downloadScript, eventAt, type JobScript, restoreScript } from "./job-scripts";
import { eventHash } from "./seed";

// A made-up engine that runs inside the demo: it schedules, starts, reports and finishes jobs through
// the same domain functions as the engine API, so the demo page is alive. Restores run long enough to be
// cancelled from the page, and it honours a cancel request as a real engine would.

type Plan = { jobId: string; script: JobScript; start: number; next: number };

const TICK_MS = 2000;

export function startDemoEngine(deps: AppDeps, accountId: number) {
  const { db, clock, logger } = deps;
  const r = new Random(Date.now() & 0xffffffff);
  const plans = new Map<string, Plan>();
  let busy: Promise<void> | null = null;
  let stopped = false;

  async function send(plan: Plan, index: number, at: Date) {
    const e = plan.script.events[index]!;
    const job = await findJob(db, accountId, plan.jobId);
    if (!job) return null;
    const event = eventAt(e, job.lastSeq + 1, at);
    return (await recordEvent(db, clock, accountId, plan.jobId, event, eventHash(event))).job;
  }

  async function cancelNow(plan: Plan, at: Date) {
    const job = await findJob(db, accountId, plan.jobId);
    if (!job) return;
    const event = eventAt(
      { type: "finished", at: "", outcome: "cancelled", offsetMs: 0 },
      job.lastSeq + 1,
      at,
    );
    await recordEvent(db, clock, accountId, plan.jobId, event, eventHash(event));
  }

  async function previousSkipped(c: DemoConnector) {
    const last = await db
      .selectFrom("jobs")
      .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
      .select("jobs.pk")
      .where("jobs.account_id", "=", accountId)
      .where("connectors.id", "=", c.id)
      .where("jobs.type", "=", "backup")
      .where("jobs.status", "in", ["successful", "incomplete"])
      .orderBy("jobs.sort_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!last) return [];
    const { items } = await listSkippedItems(db, last.pk, { limit: 8 });
    return items.filter(() => r.chance(0.85));
  }

  function scriptFor(
    type: JobType,
    c: DemoConnector,
    stubborn: Awaited<ReturnType<typeof previousSkipped>>,
  ): JobScript {
    if (type === "backup") return backupScript(r, c, stubborn, { durationMs: r.int(60, 240) * 1000 });
    if (isRestoreType(type)) {
      const minutes = type === "restore" ? r.int(8, 15) : r.int(1, 3);
      return restoreScript(r, c, type, {
        durationMs: minutes * MINUTE,
        userCancels: false,
        progressEveryMs: 15_000,
      });
    }
    return downloadScript(r, type as "pst_download" | "zip_download", { durationMs: r.int(60, 180) * 1000 });
  }

  async function startDueJobs(now: Date) {
    const due = await db
      .selectFrom("jobs")
      .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
      .select(["jobs.id", "jobs.type", "jobs.status", "connectors.id as connector_id"])
      .where("jobs.account_id", "=", accountId)
      .where("jobs.status", "in", ["scheduled", "in_progress"])
      .where("jobs.sort_at", "<=", now.toISOString())
      .limit(50)
      .execute();
    for (const job of due) {
      if (plans.has(job.id)) continue;
      const c = DEMO_CONNECTORS.find((x) => x.id === job.connector_id) ?? DEMO_CONNECTORS[0]!;
      let script = scriptFor(job.type as JobType, c, job.type === "backup" ? await previousSkipped(c) : []);
      if (job.status === "in_progress") {
        // Left running by an earlier process: finish it soon, skipping the start it already reported.
        script = { ...script, events: script.events.filter((e) => e.type !== "started") };
      }
      plans.set(job.id, { jobId: job.id, script, start: now.getTime(), next: 0 });
    }
  }

  async function createJobs(now: Date) {
    const stamp = now
      .toISOString()
      .replace(/[-:TZ.]/g, "")
      .slice(0, 14);
    const roll = r.next();
    let type: JobType | null = null;
    if (roll < 0.09) type = "backup";
    else if (roll < 0.11) type = "restore";
    else if (roll < 0.13) type = "item_restore";
    else if (roll < 0.14) type = r.chance(0.5) ? "pst_download" : "zip_download";
    if (!type) return;
    const c = r.pick(DEMO_CONNECTORS);
    const prefix = {
      backup: "bk",
      restore: "rs",
      item_restore: "ir",
      pst_download: "dl",
      zip_download: "dl",
    }[type];
    const id = `${prefix}-${stamp}-${r.int(100, 999)}`;
    const description =
      type === "backup"
        ? backupDescription(c, now.getUTCHours())
        : isRestoreType(type)
          ? restoreDescription(r, c, type === "item_restore")
          : downloadDescription(r, type as "pst_download" | "zip_download");
    // Restores wait a little in Scheduled, as they do when an admin queues them.
    const scheduledAt = isRestoreType(type)
      ? new Date(now.getTime() + r.int(30, 90) * 1000).toISOString()
      : null;
    await registerJob(db, clock, accountId, { id, connectorId: c.id, type, description, scheduledAt });
  }

  async function tick() {
    const now = clock.now();
    await startDueJobs(now);
    for (const plan of [...plans.values()]) {
      while (plan.next < plan.script.events.length) {
        const e = plan.script.events[plan.next]!;
        if (plan.start + e.offsetMs > now.getTime()) break;
        const job = await send(plan, plan.next, now);
        plan.next += 1;
        if (!job || job.endedAt) {
          plans.delete(plan.jobId);
          break;
        }
        if (job.cancelRequestedAt) {
          // The answer said a user asked to cancel: stop at once, as a real engine would.
          await cancelNow(plan, now);
          plans.delete(plan.jobId);
          break;
        }
      }
      if (plan.next >= plan.script.events.length) plans.delete(plan.jobId);
    }
    await createJobs(now);
  }

  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = tick()
      .catch((err) => {
        if (!(err instanceof JobChangeRefused)) logger.error({ err }, "demo engine tick failed");
      })
      .finally(() => {
        busy = null;
      });
  }, TICK_MS);

  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    get stopped() {
      return busy ?? Promise.resolve();
    },
  };
}
