import { createHash } from "node:crypto";
import { DAY, HOUR, ManualClock, MINUTE } from "../clock";
import { upsertConnector } from "../connectors/connectors.repository";
import type { Db, DbOrTx } from "../db/database";
import { inTransaction } from "../db/transaction";
import type { Job } from "../jobs/job";
import { type EngineEvent, recordEvent, registerJob, requestCancel } from "../jobs/job-lifecycle";
import { findJob } from "../jobs/jobs.repository";
import type { SkippedItemInput } from "../jobs/skipped-items.repository";
import type { JobType } from "../jobs/vocabulary";
import {
  backupDescription,
  DEMO_CONNECTORS,
  type DemoConnector,
  demoItem,
  downloadDescription,
  Random,
  restoreDescription,
} from "./demo-data";
import { backupScript, downloadScript, eventAt, type JobScript, restoreScript } from "./job-scripts";

// Three months of history for the demo account, made by playing engine scripts through the same domain
// functions the engine API uses, with a clock set to each event's moment.

export const eventHash = (event: EngineEvent) =>
  createHash("sha256").update(JSON.stringify(event)).digest("base64url");

export type ScriptRun = {
  db: DbOrTx;
  clock: ManualClock;
  accountId: number;
  user: { id: number; email: string };
};

/** Registers a job and plays its whole script from `start`; returns the job as it ended. */
export async function playScript(
  run: ScriptRun,
  job: { id: string; connectorId: string; type: JobType; description: string; scheduledAt: Date | null },
  start: Date,
  script: JobScript,
): Promise<Job> {
  run.clock.set(job.scheduledAt ?? start);
  let current = (
    await registerJob(run.db, run.clock, run.accountId, {
      id: job.id,
      connectorId: job.connectorId,
      type: job.type,
      description: job.description,
      scheduledAt: job.scheduledAt?.toISOString() ?? null,
    })
  ).job;
  let seq = current.lastSeq;
  let cancelAsked = false;
  for (const e of script.events) {
    const at = new Date(start.getTime() + e.offsetMs);
    if (script.userCancelAtMs !== null && !cancelAsked && e.offsetMs >= script.userCancelAtMs) {
      run.clock.set(new Date(start.getTime() + script.userCancelAtMs));
      await requestCancel(run.db, run.clock, run.accountId, job.id, run.user);
      cancelAsked = true;
    }
    run.clock.set(at);
    seq += 1;
    const event = eventAt(e, seq, at);
    current = (await recordEvent(run.db, run.clock, run.accountId, job.id, event, eventHash(event))).job;
  }
  return current;
}

const pad = (n: number) => String(n).padStart(2, "0");
const stamp = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;

/** Items a connector keeps failing to back up for a stretch of days: what "skipped again" finds. */
function stubbornItems(r: Random, c: DemoConnector, index: number, now: Date) {
  if (index % 4 !== 0 && index % 7 !== 3) return () => [] as SkippedItemInput[];
  const items = Array.from({ length: r.int(2, 5) }, (_, i) => demoItem(r, c, `${c.id}:stubborn:${i}`));
  const from = now.getTime() - r.int(3, 12) * DAY;
  const earlier = { from: now.getTime() - r.int(40, 60) * DAY, to: now.getTime() - r.int(25, 35) * DAY };
  return (at: Date) => {
    const t = at.getTime();
    if (t >= from) return items;
    if (t >= earlier.from && t < earlier.to) return items.slice(0, 1);
    return [];
  };
}

/**
 * Fills the demo account with ~90 days of jobs that end before `now`, apart from the service's follow-ups
 * of the last hour or two, which may still be running or due (the live demo engine takes them on).
 */
export async function seedHistory(
  db: Db,
  target: { accountId: number; user: { id: number; email: string } },
  now: Date,
  days = 90,
): Promise<number> {
  const r = new Random(20261127);
  const clock = new ManualClock(now);
  const until = now.getTime() - 20 * MINUTE;
  let count = 0;

  await inTransaction(db, async (trx) => {
    const run: ScriptRun = { db: trx, clock, ...target };
    for (const c of DEMO_CONNECTORS) {
      await upsertConnector(
        trx,
        target.accountId,
        { id: c.id, name: c.name, kind: c.kind },
        new Date(now.getTime() - (days + 5) * DAY).toISOString(),
      );
    }
    type Planned = { at: Date; play: () => Promise<Job> };
    const planned: Planned[] = [];
    const startDay = Math.floor(now.getTime() / DAY) - days;

    DEMO_CONNECTORS.forEach((c, index) => {
      const stubborn = stubbornItems(r, c, index, now);
      for (let day = startDay; day <= startDay + days; day += 1) {
        for (const hour of c.backupHours) {
          const at = new Date(day * DAY + hour * HOUR + r.int(0, 25) * MINUTE);
          const script = backupScript(r, c, stubborn(at));
          const last = script.events[script.events.length - 1]!;
          if (at.getTime() + last.offsetMs > until) continue;
          const id = `bk-${stamp(at)}-${c.id}`;
          planned.push({
            at,
            play: () =>
              playScript(
                run,
                {
                  id,
                  connectorId: c.id,
                  type: "backup",
                  description: backupDescription(c, hour),
                  scheduledAt: null,
                },
                at,
                script,
              ),
          });
        }
      }
    });

    for (let day = startDay; day <= startDay + days; day += 1) {
      const restores = r.int(1, 5);
      for (let i = 0; i < restores; i += 1) {
        const c = r.pick(DEMO_CONNECTORS);
        const type: JobType = r.chance(0.45) ? "item_restore" : "restore";
        const at = new Date(day * DAY + r.int(7 * 60, 19 * 60) * MINUTE);
        const script = restoreScript(r, c, type);
        const last = script.events[script.events.length - 1]!;
        if (at.getTime() + last.offsetMs > until) continue;
        const id = `${type === "restore" ? "rs" : "ir"}-${stamp(at)}-${r.int(100, 999)}`;
        const scheduledAt = new Date(at.getTime() - r.int(1, 20) * MINUTE);
        planned.push({
          at,
          play: () =>
            playScript(
              run,
              {
                id,
                connectorId: c.id,
                type,
                description: restoreDescription(r, c, type === "item_restore"),
                scheduledAt,
              },
              at,
              script,
            ),
        });
      }
      if (r.chance(0.7)) {
        const c = r.pick(
          DEMO_CONNECTORS.filter((x) =>
            ["microsoft_365", "exchange", "onedrive", "sharepoint", "google_workspace"].includes(x.kind),
          ),
        );
        const type = r.chance(0.5) ? "pst_download" : "zip_download";
        const at = new Date(day * DAY + r.int(8 * 60, 18 * 60) * MINUTE);
        const script = downloadScript(r, type);
        const last = script.events[script.events.length - 1]!;
        if (at.getTime() + last.offsetMs > until) continue;
        const id = `dl-${stamp(at)}-${r.int(100, 999)}`;
        planned.push({
          at,
          play: () =>
            playScript(
              run,
              { id, connectorId: c.id, type, description: downloadDescription(r, type), scheduledAt: null },
              at,
              script,
            ),
        });
      }
    }

    planned.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const p of planned) {
      const job = await p.play();
      count += 1 + (await playFollowUps(run, r, job, until));
    }
  });
  return count;
}

/**
 * Runs the follow-ups the service scheduled after a job (and after those, when they are aborted too),
 * each from its scheduled time, as an engine would. One due before the history ends is played up to
 * that end, so it is finished, or still running for the live demo engine to finish; one due later stays
 * Scheduled, and the live engine starts it on time. None is left Scheduled for a moment long past.
 */
async function playFollowUps(run: ScriptRun, r: Random, job: Job, until: number): Promise<number> {
  let played = 0;
  let current = job;
  while (current.followUpJobId) {
    const next = (await findJob(run.db, run.accountId, current.followUpJobId))!;
    const start = new Date(next.scheduledAt!);
    if (start.getTime() > until) break;
    const c = DEMO_CONNECTORS.find((x) => x.id === next.connectorId)!;
    const script =
      next.type === "backup"
        ? backupScript(r, c, [])
        : restoreScript(r, c, next.type, { userCancels: false });
    current = await playFollowUp(run, next.id, start, script, until);
    played += 1;
  }
  return played;
}

/** Plays a script for a job the service already scheduled (a follow-up), up to `until`. */
async function playFollowUp(
  run: ScriptRun,
  jobId: string,
  start: Date,
  script: JobScript,
  until: number,
): Promise<Job> {
  let job = (await findJob(run.db, run.accountId, jobId))!;
  for (const e of script.events) {
    const at = new Date(start.getTime() + e.offsetMs);
    if (at.getTime() > until) break;
    run.clock.set(at);
    const event = eventAt(e, job.lastSeq + 1, at);
    job = (await recordEvent(run.db, run.clock, run.accountId, jobId, event, eventHash(event))).job;
  }
  return job;
}
