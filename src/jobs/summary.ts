import { formatBytes, formatCount, plural } from "../format";
import { findReason } from "./reasons";
import { cancelledBy } from "./rules";
import { isRestoreType, type JobStats, type JobStatus, type JobType } from "./vocabulary";

export type SummaryFacts = {
  type: JobType;
  status: JobStatus;
  description: string;
  reason: string | null;
  stats: JobStats;
  cancelRequestedAt: string | null;
  /** The backup's snapshot as the engine reported it: true = partial, false = complete, null = none was made. */
  snapshotPartial: boolean | null;
  artifactBytes: number | null;
};

function amount(stat: { items: number; bytes: number }): string {
  return `${plural(stat.items, "item")} (${formatBytes(stat.bytes)})`;
}

function backupFigures(stats: JobStats, status: JobStatus): string {
  const running = status === "in_progress";
  // Only a backup that ran to its end can tell that nothing changed; a failed one simply backed up nothing.
  if (
    status === "successful" &&
    stats.added.items === 0 &&
    stats.removed.items === 0 &&
    stats.skipped.items === 0
  ) {
    return "no changes since the last backup";
  }
  const parts = [`${amount(stats.added)} added${running ? " so far" : ""}`];
  if (stats.removed.items > 0) parts.push(`${formatCount(stats.removed.items)} removed`);
  if (stats.skipped.items > 0) parts.push(`${formatCount(stats.skipped.items)} skipped`);
  return parts.join(", ");
}

function restoreFigures(stats: JobStats, running: boolean): string {
  const parts = [`${amount(stats.restored)} restored${running ? " so far" : ""}`];
  if (stats.overwritten.items > 0) parts.push(`${formatCount(stats.overwritten.items)} overwritten`);
  if (stats.skipped.items > 0) parts.push(`${formatCount(stats.skipped.items)} skipped`);
  return parts.join(", ");
}

/** The one-line summary the table shows: what, where, how much, and why it failed. */
export function summarize(job: SummaryFacts): string {
  const parts: string[] = [];
  const what = job.description.trim();
  if (what) parts.push(what);
  const running = job.status === "in_progress";
  const restore = isRestoreType(job.type);

  if (job.status === "scheduled") {
    parts.push(job.cancelRequestedAt ? "cancelling" : "waiting to start");
  } else if (job.type === "backup") {
    parts.push(backupFigures(job.stats, job.status));
    if (job.status === "incomplete") {
      if (job.snapshotPartial === null) parts.push("no snapshot made");
      else parts.push(job.snapshotPartial ? "partial snapshot kept" : "snapshot kept");
    }
  } else if (restore) {
    parts.push(restoreFigures(job.stats, running));
  } else if (job.status === "successful") {
    const file = job.type === "pst_download" ? "PST file" : "ZIP file";
    parts.push(
      job.artifactBytes !== null ? `${file} ready (${formatBytes(job.artifactBytes)})` : `${file} ready`,
    );
  } else if (running) {
    parts.push("preparing the file");
  }

  if (running && job.cancelRequestedAt) parts.push("cancelling");
  const by = cancelledBy(job);
  if (by === "user") parts.push("cancelled by a user");
  else if (by === "engine") parts.push("cancelled by the engine");

  const reason = findReason(job.reason);
  if (reason) parts.push(reason.title);
  return parts.join(" · ");
}
