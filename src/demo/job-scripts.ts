import { MINUTE } from "../clock";
import type { EngineEvent, ReportedStats } from "../jobs/job-lifecycle";
import type { EngineReasonCode } from "../jobs/reasons";
import type { SkippedItemInput } from "../jobs/skipped-items.repository";
import type { JobType, Outcome } from "../jobs/vocabulary";
import { type DemoConnector, demoItem, type Random } from "./demo-data";

// What a made-up engine reports for one job, from start to finish: the demo's seed plays such scripts
// instantly into the past, and the live demo engine plays them as time passes.

type Distribute<T> = T extends unknown ? Omit<T, "seq"> : never;
export type ScriptEvent = Distribute<EngineEvent> & { offsetMs: number };

export type JobScript = {
  events: ScriptEvent[];
  /** Whether a user cancels it part-way (only restores): the driver asks for the cancel at this offset. */
  userCancelAtMs: number | null;
};

const pickOutcome = (r: Random, table: [Outcome, number][]): Outcome => {
  let x = r.next();
  for (const [outcome, p] of table) {
    if (x < p) return outcome;
    x -= p;
  }
  return table[0]![0];
};

function scale(stats: ReportedStats, f: number): ReportedStats {
  return Object.fromEntries(
    Object.entries(stats).map(([k, v]) => [
      k,
      { items: Math.round(v.items * f), bytes: Math.round(v.bytes * f) },
    ]),
  );
}

function skippedEvents(items: SkippedItemInput[], at: number): ScriptEvent[] {
  return items.length ? [{ type: "skipped", items, offsetMs: at }] : [];
}

/** A backup: mostly completed, sometimes stopped or failed with a reason that fits the connector. */
export function backupScript(
  r: Random,
  c: DemoConnector,
  stubborn: SkippedItemInput[],
  opts: { durationMs?: number } = {},
): JobScript {
  const duration =
    opts.durationMs ?? Math.max(2 * MINUTE, Math.round((c.itemsPerBackup / 80) * MINUTE * (0.5 + r.next())));
  const outcome = pickOutcome(r, [
    ["completed", 0.93],
    ["stopped", 0.03],
    ["failed", 0.025],
    ["cancelled", 0.015],
  ]);
  const unchanged = r.chance(0.04);
  const added = unchanged ? 0 : r.amount(c.itemsPerBackup);
  const stats: ReportedStats = {
    added: { items: added, bytes: added * r.amount(c.bytesPerItem) },
    removed: { items: unchanged ? 0 : r.amount(c.itemsPerBackup / 40), bytes: 0 },
  };
  stats.removed!.bytes = stats.removed!.items * c.bytesPerItem;
  const random = r.chance(0.35)
    ? Array.from({ length: r.chance(0.2) ? r.int(6, 40) : r.int(1, 5) }, () => demoItem(r, c))
    : [];
  const skipped = unchanged ? [] : [...stubborn, ...random];
  const events: ScriptEvent[] = [{ type: "started", at: "", offsetMs: 0 }];

  if (outcome === "failed") {
    events.push({
      type: "finished",
      at: "",
      outcome,
      reason: r.pick(c.failures),
      offsetMs: Math.round(duration * 0.05) + 5000,
    });
    return { events, userCancelAtMs: null };
  }
  events.push({ type: "progress", at: "", stats: scale(stats, 0.45), offsetMs: Math.round(duration * 0.45) });
  if (outcome === "stopped") {
    events.push(
      ...skippedEvents(skipped.slice(0, Math.ceil(skipped.length / 2)), Math.round(duration * 0.5)),
    );
    events.push({
      type: "finished",
      at: "",
      outcome,
      reason: r.pick(c.failures),
      stats: scale(stats, 0.6),
      snapshot: r.chance(0.5) ? { id: `snap-${r.int(1e6, 9e6)}`, partial: true } : undefined,
      offsetMs: Math.round(duration * 0.6),
    });
    return { events, userCancelAtMs: null };
  }
  if (outcome === "cancelled") {
    events.push({
      type: "finished",
      at: "",
      outcome,
      reason: r.chance(0.7) ? "service_interrupted" : undefined,
      stats: scale(stats, 0.5),
      offsetMs: Math.round(duration * 0.5),
    });
    return { events, userCancelAtMs: null };
  }
  events.push(...skippedEvents(skipped, Math.round(duration * 0.7)));
  events.push({
    type: "finished",
    at: "",
    outcome,
    stats,
    snapshot: { id: `snap-${r.int(1e6, 9e6)}`, partial: false },
    offsetMs: duration,
  });
  return { events, userCancelAtMs: null };
}

/** A restore or item restore: some items may be skipped; now and then a user cancels it. */
export function restoreScript(
  r: Random,
  c: DemoConnector,
  type: JobType,
  opts: { durationMs?: number; userCancels?: boolean; progressEveryMs?: number } = {},
): JobScript {
  const item = type === "item_restore";
  const duration = opts.durationMs ?? (item ? r.int(1, 8) : r.int(8, 70)) * MINUTE;
  const total = item ? r.int(1, 60) : r.amount(c.itemsPerBackup * 3);
  const userCancels = opts.userCancels ?? r.chance(0.05);
  const outcome = pickOutcome(r, [
    ["completed", 0.9],
    ["failed", 0.06],
    ["stopped", 0.04],
  ]);
  const allSkipped = outcome === "completed" && r.chance(0.04);
  const someSkipped = outcome === "completed" && !allSkipped && r.chance(0.18);
  const skippedCount = allSkipped
    ? Math.max(1, Math.min(total, 25))
    : someSkipped
      ? r.int(1, Math.max(1, Math.min(30, Math.round(total / 10))))
      : 0;
  const written = allSkipped ? 0 : total - skippedCount;
  const overwritten = Math.round(written * r.next() * 0.3);
  const bytesPer = r.amount(c.bytesPerItem);
  const stats: ReportedStats = {
    restored: { items: written - overwritten, bytes: (written - overwritten) * bytesPer },
    overwritten: { items: overwritten, bytes: overwritten * bytesPer },
  };
  const events: ScriptEvent[] = [{ type: "started", at: "", offsetMs: 0 }];
  if (userCancels) {
    events.push({ type: "progress", at: "", stats: scale(stats, 0.3), offsetMs: Math.round(duration * 0.3) });
    events.push({
      type: "finished",
      at: "",
      outcome: "cancelled",
      stats: scale(stats, 0.4),
      offsetMs: Math.round(duration * 0.42),
    });
    return { events, userCancelAtMs: Math.round(duration * 0.4) };
  }
  if (outcome === "failed") {
    const reason: EngineReasonCode = r.pick([
      "authentication_failed",
      "internal_error",
      "incident",
      "job_aborted",
      "authorization_server_unavailable",
      ...c.failures,
    ]);
    events.push({ type: "finished", at: "", outcome, reason, offsetMs: Math.round(duration * 0.1) + 3000 });
    return { events, userCancelAtMs: null };
  }
  // Engines report every few minutes; the live demo reports more often so a cancel is seen quickly.
  const steps = opts.progressEveryMs ? Math.max(3, Math.floor(duration / opts.progressEveryMs)) : 3;
  for (let i = 1; i <= steps; i += 1) {
    const f = (0.8 * i) / steps;
    events.push({ type: "progress", at: "", stats: scale(stats, f), offsetMs: Math.round(duration * f) });
  }
  const skipped = Array.from({ length: skippedCount }, () => demoItem(r, c));
  events.push(...skippedEvents(skipped, Math.round(duration * 0.85)));
  if (outcome === "stopped") {
    events.push({
      type: "finished",
      at: "",
      outcome,
      reason: "incident",
      stats: scale(stats, 0.85),
      offsetMs: Math.round(duration * 0.9),
    });
  } else {
    events.push({ type: "finished", at: "", outcome, stats, offsetMs: duration });
  }
  return { events, userCancelAtMs: null };
}

/** A PST or ZIP download: prepares a file whose link expires after a week. */
export function downloadScript(
  r: Random,
  type: "pst_download" | "zip_download",
  opts: { durationMs?: number } = {},
): JobScript {
  const duration = opts.durationMs ?? r.int(2, 25) * MINUTE;
  const events: ScriptEvent[] = [{ type: "started", at: "", offsetMs: 0 }];
  if (r.chance(0.1)) {
    events.push({
      type: "finished",
      at: "",
      outcome: "failed",
      reason: r.pick(["internal_error", "incident", "authentication_failed"]),
      offsetMs: Math.round(duration / 2),
    });
    return { events, userCancelAtMs: null };
  }
  const bytes = r.amount(type === "pst_download" ? 2_500_000_000 : 400_000_000);
  const token = `${r.int(1e8, 9e8).toString(36)}${r.int(1e8, 9e8).toString(36)}`;
  events.push({
    type: "finished",
    at: "",
    outcome: "completed",
    artifact: {
      url: `https://downloads.northwind.example/exports/${token}.${type === "pst_download" ? "pst" : "zip"}`,
      expiresAt: "",
      bytes,
    },
    offsetMs: duration,
  });
  return { events, userCancelAtMs: null };
}

/** The event as the engine sends it, at a given moment (the artifact link lives seven days). */
export function eventAt(e: ScriptEvent, seq: number, at: Date): EngineEvent {
  const { offsetMs: _, ...rest } = e;
  const iso = at.toISOString();
  if (rest.type === "skipped") return { ...rest, seq };
  if (rest.type === "finished" && rest.artifact) {
    return {
      ...rest,
      seq,
      at: iso,
      artifact: { ...rest.artifact, expiresAt: new Date(at.getTime() + 7 * 24 * 60 * MINUTE).toISOString() },
    };
  }
  return { ...rest, seq, at: iso } as EngineEvent;
}
