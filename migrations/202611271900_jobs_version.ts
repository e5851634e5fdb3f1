import type { Kysely } from "kysely";
import { columnTypes } from "../src/db/store";

// A number that grows whenever one of an account's jobs is added or changes status, start time or search
// text, so that the Job Monitor can reuse the counts and chart it worked out for a filter until then.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("accounts")
    .addColumn("jobs_version", columnTypes(db).bigint, (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("accounts").dropColumn("jobs_version").execute();
}
