import type { ReasonCode } from "./reasons";
import {
  ACTIVE_STATUSES,
  type ItemKind,
  isRestoreType,
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
  /** Items written to the target: Restored plus Overwritten. Only restores use it. */
  written: number;
  /** Skipped items (folders included). */
  skipped: number;
};

/** The final status of a job, derived from the engine's outcome and the statistics. */
export function deriveStatus({ type, outcome, written, skipped }: Finish): JobStatus {
  if (outcome === "cancelled") return "cancelled";
  if (type === "backup") {
    // An engine that backed something up and then hit an error reports `stopped`, not `failed`.
    if (outcome === "completed") return "successful";
    if (outcome === "failed") return "unsuccessful";
    return "incomplete";
  }
  if (isRestoreType(type)) {
    if (outcome === "failed") return "unsuccessful";
    if (outcome === "stopped") return written > 0 ? "incomplete" : "unsuccessful";
    if (skipped === 0) return "successful";
    return written > 0 ? "incomplete" : "unsuccessful";
  }
  return outcome === "completed" ? "successful" : "unsuccessful";
}

/** The reason a finished job shows: the engine's wins; otherwise the service names skipped items. */
export function deriveReason(
  finish: Finish,
  status: JobStatus,
  engineReason: ReasonCode | null,
): ReasonCode | null {
  if (engineReason) return engineReason;
  if (!isRestoreType(finish.type) || finish.skipped === 0) return null;
  if (status === "incomplete") return "items_skipped";
  // "Every item was skipped" only when the restore ran to its end: one that failed or stopped may have
  // skipped a few items before it broke off.
  if (status === "unsuccessful" && finish.outcome === "completed") return "all_items_skipped";
  return null;
}

/** Whether a skipped item adds its size to the skipped total: folders count as items, never as bytes. */
export function countsSkippedBytes(kind: ItemKind): boolean {
  return kind !== "folder";
}

/** The skipped statistic of a set of items: every item and folder counts, only items add bytes. */
export function skippedTotals(items: Iterable<{ kind: ItemKind; size: number | null }>): {
  items: number;
  bytes: number;
} {
  let count = 0;
  let bytes = 0;
  for (const item of items) {
    count += 1;
    if (countsSkippedBytes(item.kind)) bytes += item.size ?? 0;
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

/** What each status means for a job of this type, in the report. */
export function statusMeaning(type: JobType, status: JobStatus): string {
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
      if (type === "backup")
        return "The backup finished and its snapshot is available. Items that could not be reached are listed as skipped and are tried again by the next backup.";
      if (restore) return "Every item was restored.";
      return "The file was prepared and can be downloaded until its link expires.";
    case "incomplete":
      if (type === "backup")
        return "The backup began but stopped because of an error. Whether the data backed up so far can be restored depends on whether a partial snapshot was made.";
      return "The restore wrote some items to the target, but others were skipped or it stopped early.";
    case "unsuccessful":
      if (type === "backup") return "The backup failed before anything was backed up.";
      if (download) return "The file could not be prepared.";
      return "Nothing was restored: the restore failed, or every item was skipped.";
    case "cancelled":
      return "The job was cancelled before it finished.";
  }
}
