import type { Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from "kysely";

// The shape of every table, as Kysely sees it. Timestamps are ISO-8601 UTC strings; booleans are 0/1.

export interface AccountsTable {
  id: Generated<number>;
  service_id: string;
  name: string;
  created_at: string;
  /** Grows with every change to the account's job counts or search text (see src/jobs/jobs-version.ts). */
  jobs_version: Generated<number>;
}

export interface UsersTable {
  id: Generated<number>;
  account_id: number;
  email: string;
  password_hash: string;
  time_zone: string | null;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  public_id: string;
  secret_hash: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_active_at: string;
  /** Wrong passwords in this session's cancel dialog (see src/auth/login-attempts.ts). */
  cancel_failures: Generated<number>;
  cancel_last_failed_at: string | null;
  cancel_locked_until: string | null;
}

export interface ConnectorsTable {
  pk: Generated<number>;
  account_id: number;
  id: string;
  name: string;
  kind: string;
  created_at: string;
  updated_at: string;
}

export interface JobsTable {
  pk: Generated<number>;
  account_id: number;
  id: string;
  connector_pk: number;
  type: string;
  status: string;
  reason: string | null;
  description: string;
  scheduled_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  sort_at: string;
  sort_key: number | null;
  added_items: Generated<number>;
  added_bytes: Generated<number>;
  removed_items: Generated<number>;
  removed_bytes: Generated<number>;
  restored_items: Generated<number>;
  restored_bytes: Generated<number>;
  overwritten_items: Generated<number>;
  overwritten_bytes: Generated<number>;
  skipped_items: Generated<number>;
  skipped_bytes: Generated<number>;
  last_seq: Generated<number>;
  cancel_requested_at: string | null;
  cancel_requested_by: number | null;
  cancel_requested_by_email: string | null;
  snapshot_id: string | null;
  snapshot_partial: number | null;
  artifact_url: string | null;
  artifact_expires_at: string | null;
  artifact_bytes: number | null;
  follow_up_job_pk: number | null;
  retry_of_job_pk: number | null;
  skipped_purged_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobEventsTable {
  job_pk: number;
  seq: number;
  type: string;
  body_hash: string;
  received_at: string;
}

export interface SkippedItemsTable {
  job_pk: number;
  key: string;
  name: string;
  path: string | null;
  kind: string;
  size: number | null;
  reason: string;
}

export interface JobCountsTable {
  account_id: number;
  /** "day" or "hour". */
  period: string;
  /** The bucket's start, ISO-8601 UTC ("2026-11-27T00:00:00.000Z"). */
  bucket: string;
  type: string;
  status: string;
  jobs: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  account_id: number | null;
  at: string;
  event: string;
  user_id: number | null;
  email: string | null;
  ip: string | null;
  detail: string | null;
}

export interface LoginAttemptsTable {
  email: string;
  failures: number;
  last_failed_at: string;
  locked_until: string | null;
}

export interface IpThrottleTable {
  ip: string;
  window_start: string;
  attempts: number;
}

export interface PortalTokenUsesTable {
  jti: string;
  expires_at: string;
}

/** Who runs a piece of work that must run on one instance at a time (see src/db/lease.ts). */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

/**
 * The free-text index of job text; rowid is jobs.sort_key. SQLite's is an FTS5 table, PostgreSQL's a
 * table of tsvectors with a GIN index (see src/db/store.ts).
 */
export interface JobsFtsTable {
  rowid: number;
  text: string;
  /** The table's own name, which FTS5 uses as the left side of MATCH. */
  jobs_fts: string;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  connectors: ConnectorsTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  skipped_items: SkippedItemsTable;
  job_counts: JobCountsTable;
  audit_events: AuditEventsTable;
  login_attempts: LoginAttemptsTable;
  ip_throttle: IpThrottleTable;
  portal_token_uses: PortalTokenUsesTable;
  leases: LeasesTable;
  jobs_fts: JobsFtsTable;
}

export type Db = Kysely<Database>;
/** A database handle or an open transaction: repositories accept either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export type AccountRow = Selectable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type ConnectorRow = Selectable<ConnectorsTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
export type SkippedItemRow = Selectable<SkippedItemsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
