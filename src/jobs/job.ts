import type { ConnectorKind } from "../connectors/connector-kinds";
import type { JobRow } from "../db/database";
import type { JobStats, JobStatus, JobType } from "./vocabulary";

/** A job as the service reads it: the row, its connector, and the ID of its follow-up job. */
export type Job = {
  pk: number;
  accountId: number;
  id: string;
  connectorPk: number;
  connectorId: string;
  connectorName: string;
  connectorKind: ConnectorKind;
  type: JobType;
  status: JobStatus;
  reason: string | null;
  description: string;
  scheduledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  sortAt: string;
  sortKey: number;
  stats: JobStats;
  lastSeq: number;
  cancelRequestedAt: string | null;
  cancelRequestedByEmail: string | null;
  snapshot: { id: string; partial: boolean } | null;
  artifact: { url: string; expiresAt: string; bytes: number } | null;
  followUpJobId: string | null;
  retryOfJobId: string | null;
  skippedPurgedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** What a row of the job table shows: all a polled row reads (src/jobs/jobs.repository.ts findJobRow). */
export type JobRowFacts = Pick<
  Job,
  | "pk"
  | "id"
  | "connectorId"
  | "connectorName"
  | "type"
  | "status"
  | "reason"
  | "description"
  | "scheduledAt"
  | "startedAt"
  | "endedAt"
  | "stats"
  | "cancelRequestedAt"
> & {
  snapshot: { partial: boolean } | null;
  artifact: { bytes: number } | null;
};

/** The columns a Job is read from: the job row plus its connector and linked jobs. */
export type JobRecord = JobRow & {
  connector_id: string;
  connector_name: string;
  connector_kind: string;
  follow_up_job_id: string | null;
  retry_of_job_id: string | null;
};

export function toJob(r: JobRecord): Job {
  return {
    pk: r.pk,
    accountId: r.account_id,
    id: r.id,
    connectorPk: r.connector_pk,
    connectorId: r.connector_id,
    connectorName: r.connector_name,
    connectorKind: r.connector_kind as ConnectorKind,
    type: r.type as JobType,
    status: r.status as JobStatus,
    reason: r.reason,
    description: r.description,
    scheduledAt: r.scheduled_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    sortAt: r.sort_at,
    sortKey: r.sort_key ?? 0,
    stats: {
      added: { items: r.added_items, bytes: r.added_bytes },
      removed: { items: r.removed_items, bytes: r.removed_bytes },
      restored: { items: r.restored_items, bytes: r.restored_bytes },
      overwritten: { items: r.overwritten_items, bytes: r.overwritten_bytes },
      skipped: { items: r.skipped_items, bytes: r.skipped_bytes },
    },
    lastSeq: r.last_seq,
    cancelRequestedAt: r.cancel_requested_at,
    cancelRequestedByEmail: r.cancel_requested_by_email,
    snapshot: r.snapshot_id !== null ? { id: r.snapshot_id, partial: r.snapshot_partial === 1 } : null,
    artifact:
      r.artifact_url !== null
        ? { url: r.artifact_url, expiresAt: r.artifact_expires_at ?? "", bytes: r.artifact_bytes ?? 0 }
        : null,
    followUpJobId: r.follow_up_job_id,
    retryOfJobId: r.retry_of_job_id,
    skippedPurgedAt: r.skipped_purged_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The job as engines and API clients see it (PRODUCT.md §4). */
export function toJobJson(job: Job) {
  return {
    id: job.id,
    connectorId: job.connectorId,
    type: job.type,
    status: job.status,
    reason: job.reason,
    description: job.description,
    scheduledAt: job.scheduledAt,
    startedAt: job.startedAt,
    endedAt: job.endedAt,
    stats: job.stats,
    cancelRequested: job.cancelRequestedAt !== null,
    followUpJobId: job.followUpJobId,
    retryOfJobId: job.retryOfJobId,
    snapshot: job.snapshot,
    artifact: job.artifact,
  };
}
