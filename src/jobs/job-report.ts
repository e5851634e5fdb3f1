import type { DbOrTx } from "../db/database";
import type { Job } from "./job";
import { findJob } from "./jobs.repository";
import { skippedReportExpiry } from "./retention";
import { countSkippedInBoth, previousBackup } from "./skipped-again";
import { countSkippedByReason, listSkippedItems, type SkippedPage } from "./skipped-items.repository";
import { SKIP_REASONS, type SkipReason } from "./vocabulary";

export const SKIPPED_PAGE_SIZE = 50;

export type SkippedSection = {
  /** When the list stops (or stopped) being available, ISO-8601; null while the job runs. */
  expiresAt: string | null;
  expired: boolean;
  reason: SkipReason | null;
  afterKey: string | null;
  page: SkippedPage | null;
  byReason: [SkipReason, number][];
};

export type JobReportData = {
  job: Job;
  serviceId: string;
  skipped: SkippedSection;
  /** How many of this backup's skipped items the connector's previous backup skipped too. */
  overlap: { count: number; previousJobId: string } | null;
};

export type ReportQuery = { reason: SkipReason | null; after: string | null };

/** Validates the report's own query parameters (the skipped-items filter and page). */
export function parseReportQuery(params: Record<string, string | undefined>): {
  query: ReportQuery;
  error: string | null;
} {
  const reason = params.reason || null;
  const after = params.after || null;
  if (reason && !SKIP_REASONS.includes(reason as SkipReason)) {
    return { query: { reason: null, after: null }, error: `Unknown skip reason “${reason.slice(0, 40)}”.` };
  }
  if (after && after.length > 1024)
    return { query: { reason: null, after: null }, error: "This page link is not valid." };
  return { query: { reason: reason as SkipReason | null, after }, error: null };
}

/** Everything the job report shows; undefined when the job is not in this account. */
export async function loadJobReport(
  db: DbOrTx,
  account: { id: number; serviceId: string },
  jobId: string,
  options: { now: Date; retentionDays: number; query: ReportQuery },
): Promise<JobReportData | undefined> {
  const job = await findJob(db, account.id, jobId);
  if (!job) return undefined;
  const expiry = skippedReportExpiry(job.endedAt, options.retentionDays);
  const expired = Boolean(job.skippedPurgedAt) || (expiry !== null && expiry <= options.now);
  const skipped: SkippedSection = {
    expiresAt: expiry?.toISOString() ?? null,
    expired,
    reason: options.query.reason,
    afterKey: options.query.after,
    page: null,
    byReason: [],
  };
  let overlap: JobReportData["overlap"] = null;
  if (!expired && job.stats.skipped.items > 0) {
    skipped.page = await listSkippedItems(db, job.pk, {
      reason: options.query.reason,
      afterKey: options.query.after,
      limit: SKIPPED_PAGE_SIZE,
    });
    const counts = await countSkippedByReason(db, job.pk);
    skipped.byReason = SKIP_REASONS.filter((r) => counts.has(r)).map((r) => [r, counts.get(r)!]);
    if (job.type === "backup") {
      const previous = await previousBackup(db, job);
      if (previous)
        overlap = { count: await countSkippedInBoth(db, job.pk, previous.pk), previousJobId: previous.id };
    }
  }
  return { job, serviceId: account.serviceId, skipped, overlap };
}
