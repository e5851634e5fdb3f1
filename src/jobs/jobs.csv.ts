import { csvStream } from "../csv";
import { durationBetween } from "../format";
import type { Job } from "./job";
import { findReason } from "./reasons";
import type { SkippedItem } from "./skipped-items.repository";
import { STAT_NAMES } from "./vocabulary";

/** Columns of the job list CSV, in order. */
export const JOB_CSV_COLUMNS = [
  "Job ID",
  "Connector",
  "Connector ID",
  "Connector kind",
  "Type",
  "Status",
  "Reason code",
  "Reason",
  "Scheduled (UTC)",
  "Started (UTC)",
  "Ended (UTC)",
  "Duration (seconds)",
  "Description",
  ...STAT_NAMES.flatMap((s) => [
    `${s[0]!.toUpperCase()}${s.slice(1)} items`,
    `${s[0]!.toUpperCase()}${s.slice(1)} bytes`,
  ]),
] as const;

function jobRecord(job: Job): (string | number)[] {
  const duration =
    job.startedAt && job.endedAt ? Math.round(durationBetween(job.startedAt, job.endedAt) / 1000) : "";
  return [
    job.id,
    job.connectorName,
    job.connectorId,
    job.connectorKind,
    job.type,
    job.status,
    job.reason ?? "",
    findReason(job.reason)?.title ?? "",
    job.scheduledAt ?? "",
    job.startedAt ?? "",
    job.endedAt ?? "",
    duration,
    job.description,
    ...STAT_NAMES.flatMap((s) => [job.stats[s].items, job.stats[s].bytes]),
  ];
}

/** Columns of a job's skipped-items CSV, in order. */
export const SKIPPED_CSV_COLUMNS = [
  "Job ID",
  "Connector",
  "Item key",
  "Name",
  "Path",
  "Kind",
  "Size (bytes)",
  "Reason",
] as const;

function skippedRecord(job: Pick<Job, "id" | "connectorName">, item: SkippedItem): (string | number)[] {
  return [
    job.id,
    job.connectorName,
    item.key,
    item.name,
    item.path ?? "",
    item.kind,
    item.kind === "folder" || item.size === null ? "" : item.size,
    item.reason,
  ];
}

export function jobsCsv(chunks: AsyncIterable<Job[]>): ReadableStream<Uint8Array> {
  return csvStream(JOB_CSV_COLUMNS, chunks, jobRecord);
}

export function skippedItemsCsv(
  job: Pick<Job, "id" | "connectorName">,
  chunks: AsyncIterable<SkippedItem[]>,
): ReadableStream<Uint8Array> {
  return csvStream(SKIPPED_CSV_COLUMNS, chunks, (item) => skippedRecord(job, item));
}
