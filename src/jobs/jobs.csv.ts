import { csvStream } from "../csv";
import { durationBetween } from "../format";
import type { Job } from "./job";
import type { ExportRow } from "./job-list";
import { findReason, REASON_CODES } from "./reasons";
import { countsSkippedBytes } from "./rules";
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

const REASON_TITLES = new Map(REASON_CODES.map((code) => [code as string, findReason(code)!.title]));

function jobRecord(job: ExportRow): (string | number)[] {
  const duration =
    job.started_at && job.ended_at ? Math.round(durationBetween(job.started_at, job.ended_at) / 1000) : "";
  return [
    job.id,
    job.connector_name,
    job.connector_id,
    job.connector_kind,
    job.type,
    job.status,
    job.reason ?? "",
    (job.reason && REASON_TITLES.get(job.reason)) ?? "",
    job.scheduled_at ?? "",
    job.started_at ?? "",
    job.ended_at ?? "",
    duration,
    job.description,
    ...STAT_NAMES.flatMap((s) => [job[`${s}_items`], job[`${s}_bytes`]]),
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

type SkippedCsvJob = Pick<Job, "id" | "connectorName" | "type">;

function skippedRecord(job: SkippedCsvJob, item: SkippedItem): (string | number)[] {
  return [
    job.id,
    job.connectorName,
    item.key,
    item.name,
    item.path ?? "",
    item.kind,
    // The size a skipped item adds to the job's total; the report's table shows the same.
    countsSkippedBytes(item.kind, job.type) ? (item.size ?? "") : "",
    item.reason,
  ];
}

export function jobsCsv(chunks: AsyncIterable<ExportRow[]>): ReadableStream<Uint8Array> {
  return csvStream(JOB_CSV_COLUMNS, chunks, jobRecord);
}

export function skippedItemsCsv(
  job: SkippedCsvJob,
  chunks: AsyncIterable<SkippedItem[]>,
): ReadableStream<Uint8Array> {
  return csvStream(SKIPPED_CSV_COLUMNS, chunks, (item) => skippedRecord(job, item));
}
