import { type Kysely, sql } from "kysely";
import { columnTypes, createSearchIndex, dropSearchIndex, isSqlite } from "../src/db/store";

// Timestamps are ISO-8601 UTC text (always toISOString(), so text order is time order) and booleans are
// 0/1 integers, so that the same queries run on SQLite and PostgreSQL. Where the stores differ (ids,
// 64-bit integers, the free-text index) src/db/store.ts says how.

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = isSqlite(db);
  const { bigint, autoId } = columnTypes(db);
  await db.schema
    .createTable("accounts")
    .addColumn("id", "integer", autoId)
    .addColumn("service_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", autoId)
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("time_zone", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_account").on("users").column("account_id").execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "integer", autoId)
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("public_id", "text", (c) => c.notNull().unique())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "integer", autoId)
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_active_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("connectors")
    .addColumn("pk", "integer", autoId)
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("connectors_account_id", ["account_id", "id"])
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("pk", "integer", autoId)
    .addColumn("account_id", "integer", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("connector_pk", "integer", (c) => c.notNull().references("connectors.pk"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("scheduled_at", "text")
    .addColumn("started_at", "text")
    .addColumn("ended_at", "text")
    // The time the list sorts and filters by: the start, or the scheduled time while not started.
    .addColumn("sort_at", "text", (c) => c.notNull())
    // sort_at as one unique integer (see src/jobs/sort-key.ts): the list's order and keyset, and the
    // free-text index's rowid, so search results come out of the index already in list order.
    .addColumn("sort_key", bigint)
    .addColumn("added_items", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("added_bytes", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("removed_items", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("removed_bytes", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("restored_items", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("restored_bytes", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("overwritten_items", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("overwritten_bytes", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("skipped_items", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("skipped_bytes", bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("last_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cancel_requested_at", "text")
    .addColumn("cancel_requested_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("cancel_requested_by_email", "text")
    .addColumn("snapshot_id", "text")
    .addColumn("snapshot_partial", "integer")
    .addColumn("artifact_url", "text")
    .addColumn("artifact_expires_at", "text")
    .addColumn("artifact_bytes", bigint)
    .addColumn("follow_up_job_pk", "integer")
    .addColumn("retry_of_job_pk", "integer")
    .addColumn("skipped_purged_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("jobs_account_id", ["account_id", "id"])
    .execute();
  // One index per way the list narrows its rows, each ending in the sort order so that a page is a
  // range scan: everything, by connector, by status, by type.
  await db.schema.createIndex("jobs_sort_key").on("jobs").column("sort_key").unique().execute();
  await db.schema.createIndex("jobs_list").on("jobs").columns(["account_id", "sort_key"]).execute();
  await db.schema
    .createIndex("jobs_by_connector")
    .on("jobs")
    .columns(["account_id", "connector_pk", "sort_key"])
    .execute();
  await db.schema
    .createIndex("jobs_by_status")
    .on("jobs")
    .columns(["account_id", "status", "sort_key"])
    .execute();
  await db.schema
    .createIndex("jobs_by_type")
    .on("jobs")
    .columns(["account_id", "type", "sort_key"])
    .execute();
  await db.schema.createIndex("jobs_ended").on("jobs").columns(["ended_at"]).execute();

  await db.schema
    .createTable("job_events")
    .addColumn("job_pk", "integer", (c) => c.notNull().references("jobs.pk").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_events_pk", ["job_pk", "seq"])
    .execute();

  await db.schema
    .createTable("skipped_items")
    .addColumn("job_pk", "integer", (c) => c.notNull().references("jobs.pk").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("path", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("size", bigint)
    .addColumn("reason", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("skipped_items_pk", ["job_pk", "key"])
    // The primary key is the only way items are read (a job's items, in key order), so on SQLite the
    // table is that index itself: one b-tree to write per item instead of two.
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();

  // Per-hour and per-day job counts by type and status, kept up to date in the same transaction as
  // every job change, so the status summary and totals never count rows.
  await db.schema
    .createTable("job_counts")
    .addColumn("account_id", "integer", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("jobs", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_counts_pk", ["account_id", "period", "bucket", "type", "status"])
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "integer", autoId)
    .addColumn("account_id", "integer", (c) => c.references("accounts.id").onDelete("cascade"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("email", "text")
    .addColumn("ip", "text")
    .addColumn("detail", "text")
    .execute();
  await db.schema
    .createIndex("audit_events_account")
    .on("audit_events")
    .columns(["account_id", "id"])
    .execute();
  // Sign-ins by address: an address a user is known to sign in from is not locked by others' failures.
  await db.schema
    .createIndex("audit_events_address")
    .on("audit_events")
    .columns(["email", "ip", "event"])
    .execute();

  // Failed password attempts per e-mail address (known or not, so the answer never tells which),
  // shared by every instance and kept across restarts.
  await db.schema
    .createTable("login_attempts")
    .addColumn("email", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failed_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .execute();

  await db.schema
    .createTable("ip_throttle")
    .addColumn("ip", "text", (c) => c.primaryKey())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("portal_token_uses")
    .addColumn("jti", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  // Free-text search: FTS5 on SQLite, a tsvector table with a GIN index on PostgreSQL (src/db/store.ts).
  await createSearchIndex(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropSearchIndex(db);
  for (const table of [
    "portal_token_uses",
    "ip_throttle",
    "login_attempts",
    "audit_events",
    "job_counts",
    "skipped_items",
    "job_events",
    "jobs",
    "connectors",
    "sessions",
    "api_tokens",
    "users",
    "accounts",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
