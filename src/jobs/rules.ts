import type { ReasonCode } from "./reasons";
import {
  ACTIVE_STATUSES,
  type ItemKind,
  isDownloadType,
  isRestoreType,
  type JobStats,
  type JobStatus,
  type JobType,
  type Outcome,
  PROBLEM_STATUSES,
} from "./vocabulary";

// The domain rules of PRODUCT.md §2 as plain functions: no I/O, no clock.

/** What the service knows about a job when its engine reports that it finished. */
export type Finish = {
  type: JobType;
  outcome: Outcome;
  /**
   * What the job got done: for a backup the items it added or removed, for a restore the items written
   * to the target (Restored plus Overwritten). Downloads do not use it.
   */
  written: number;
  /** Skipped items (folders included). */
  skipped: number;
};

/** The facts deriveStatus needs, taken from a job's statistics as they stand when it finishes. */
export function finishOf(type: JobType, outcome: Outcome, stats: JobStats): Finish {
  const written =
    type === "backup"
      ? stats.added.items + stats.removed.items
      : isRestoreType(type)
        ? stats.restored.items + stats.overwritten.items
        : 0;
  return { type, outcome, written, skipped: stats.skipped.items };
}

/** The final status of a job, derived from the engine's outcome and the statistics. */
export function deriveStatus({ type, outcome, written, skipped }: Finish): JobStatus {
  if (outcome === "cancelled") return "cancelled";
  if (type === "backup") {
    // An engine that backed something up and then hit an error reports `stopped`, not `failed`.
    if (outcome === "failed") return "unsuccessful";
    if (outcome === "stopped") return "incomplete";
    // Nothing changed at all is a good backup; changes that were all skipped leave nothing backed up.
    return written === 0 && skipped > 0 ? "unsuccessful" : "successful";
  }
  if (isRestoreType(type)) {
    if (outcome === "failed") return "unsuccessful";
    if (outcome === "stopped") return written > 0 ? "incomplete" : "unsuccessful";
    if (skipped === 0) return "successful";
    return written > 0 ? "incomplete" : "unsuccessful";
  }
  return outcome === "completed" ? "successful" : "unsuccessful";
}

/**
 * The reason a finished job shows: the engine's wins; otherwise the service names skipped items, and
 * gives a download that broke off without a word the generic reason, so its admin still learns what to do.
 */
export function deriveReason(
  finish: Finish,
  status: JobStatus,
  engineReason: ReasonCode | null,
): ReasonCode | null {
  if (engineReason) return engineReason;
  if (isDownloadType(finish.type)) return status === "unsuccessful" ? "internal_error" : null;
  if (finish.skipped === 0) return null;
  if (isRestoreType(finish.type) && status === "incomplete") return "items_skipped";
  // "Every item was skipped" only when the job ran to its end: one that failed or stopped may have
  // skipped a few items before it broke off.
  if (status === "unsuccessful" && finish.outcome === "completed") return "all_items_skipped";
  return null;
}

/**
 * Whether a skipped item of this kind adds its size to the skipped total of a job of this type: a
 * restore counts the size of folders too, a backup counts items only, never folders.
 */
export function countsSkippedBytes(kind: ItemKind, type: JobType): boolean {
  return isRestoreType(type) || kind !== "folder";
}

/** The skipped statistic of a job's items: every item and folder counts; countsSkippedBytes decides the size. */
export function skippedTotals(
  type: JobType,
  items: Iterable<{ kind: ItemKind; size: number | null }>,
): { items: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const item of items) {
    count += 1;
    if (countsSkippedBytes(item.kind, type)) bytes += item.size ?? 0;
  }
  return { items: count, bytes };
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function isProblem(status: JobStatus): boolean {
  return PROBLEM_STATUSES.includes(status);
}

/** Only restores and item restores that have not finished can be cancelled from the Job Monitor. */
export function canBeCancelled(job: { type: JobType; status: JobStatus }): boolean {
  return isRestoreType(job.type) && isActive(job.status);
}

/** Who stopped a cancelled job, for the report. */
export type CancelledBy = "user" | "service" | "engine";

export function cancelledBy(job: {
  status: JobStatus;
  reason: string | null;
  cancelRequestedAt: string | null;
}): CancelledBy | null {
  if (job.status !== "cancelled") return null;
  if (job.cancelRequestedAt) return "user";
  if (job.reason === "service_interrupted") return "service";
  return "engine";
}

/** What the report knows of a finished job beyond its type and status. */
export type MeaningFacts = {
  reason: string | null;
  /** The engine's `snapshot` field: null when it sent none. */
  snapshot: { partial: boolean } | null;
};

/**
 * What each status means for a job of this type, in the report. Without the job's facts it says only
 * what holds for every such job (it claims no snapshot).
 */
export function statusMeaning(type: JobType, status: JobStatus, facts?: MeaningFacts): string {
  const restore = isRestoreType(type);
  const download = !restore && type !== "backup";
  switch (status) {
    case "scheduled":
      return restore
        ? "The restore is queued and has not started yet. It can still be cancelled."
        : "The job is queued and has not started yet.";
    case "in_progress":
      return "The job is running. Its statistics update while it runs.";
    case "successful":
      if (type === "backup") {
        const finished = facts?.snapshot
          ? "The backup finished and its snapshot is available."
          : facts
            ? "The backup finished, but its engine reported no snapshot, so this report cannot name one."
            : "The backup finished.";
        return `${finished} Items that could not be reached are listed as skipped and are tried again by the next backup.`;
      }
      if (restore) return "Every item was restored.";
      return "The file was prepared and can be downloaded until its link expires.";
    case "incomplete":
      if (type === "backup")
        return "The backup began but stopped because of an error. Whether the data backed up so far can be restored depends on whether a partial snapshot was made.";
      return "The restore wrote some items to the target, but others were skipped or it stopped early.";
    case "unsuccessful":
      if (type === "backup") {
        return facts?.reason === "all_items_skipped"
          ? "The backup ran to its end, but every changed item it found was skipped, so nothing was backed up. The next backup tries them again."
          : "The backup failed before anything was backed up.";
      }
      if (download) return "The file could not be prepared.";
      return "Nothing was restored: the restore failed, or every item was skipped.";
    case "cancelled":
      return "The job was cancelled before it finished.";
  }
}
