// The fixed values of the domain, as they travel on the wire and in URLs, with the words the page shows.

export const JOB_TYPES = ["backup", "restore", "item_restore", "pst_download", "zip_download"] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_TYPE_LABELS: Record<JobType, string> = {
  backup: "Backup",
  restore: "Restore",
  item_restore: "Item restore",
  pst_download: "PST download",
  zip_download: "ZIP download",
};

export const JOB_STATUSES = [
  "scheduled",
  "in_progress",
  "successful",
  "incomplete",
  "unsuccessful",
  "cancelled",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  successful: "Successful",
  incomplete: "Incomplete",
  unsuccessful: "Unsuccessful",
  cancelled: "Cancelled",
};

export const ACTIVE_STATUSES: readonly JobStatus[] = ["scheduled", "in_progress"];
export const PROBLEM_STATUSES: readonly JobStatus[] = ["incomplete", "unsuccessful", "cancelled"];

export const OUTCOMES = ["completed", "failed", "stopped", "cancelled"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SKIP_REASONS = [
  "throttled",
  "api_error",
  "inaccessible",
  "bad_request",
  "bad_token",
  "other",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  throttled: "Throttled by the service",
  api_error: "API error",
  inaccessible: "Not accessible",
  bad_request: "Request refused",
  bad_token: "Token not accepted",
  other: "Other",
};

export const ITEM_KINDS = [
  "file",
  "folder",
  "mail",
  "calendar",
  "contact",
  "site",
  "list",
  "record",
  "other",
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  file: "File",
  folder: "Folder",
  mail: "Mail",
  calendar: "Calendar item",
  contact: "Contact",
  site: "Site",
  list: "List",
  record: "Record",
  other: "Other",
};

/** The statistics a job can carry; `skipped` is computed by the service, never sent by engines. */
export const STAT_NAMES = ["added", "removed", "restored", "overwritten", "skipped"] as const;
export type StatName = (typeof STAT_NAMES)[number];

export const STAT_LABELS: Record<StatName, string> = {
  added: "Added",
  removed: "Removed",
  restored: "Restored",
  overwritten: "Overwritten",
  skipped: "Skipped",
};

export type Stat = { items: number; bytes: number };
export type JobStats = Record<StatName, Stat>;

export function isRestoreType(type: JobType): boolean {
  return type === "restore" || type === "item_restore";
}

export function isDownloadType(type: JobType): boolean {
  return type === "pst_download" || type === "zip_download";
}

/** Which statistics an engine may report for a job of this type, and which the report shows. */
export function statsFor(type: JobType): readonly StatName[] {
  if (type === "backup") return ["added", "removed", "skipped"];
  if (isRestoreType(type)) return ["restored", "overwritten", "skipped"];
  return [];
}
