import type { Kysely } from "kysely";
import { columnTypes } from "../src/db/store";

// What several instances on one database must agree on: who runs the periodic clean-up now (a lease
// with an expiry, so a crashed holder frees it by itself), and a number that grows with every change to
// an account's connectors, so each instance's list of them is refreshed the moment one changes.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable("accounts")
    .addColumn("connectors_version", columnTypes(db).bigint, (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("accounts").dropColumn("connectors_version").execute();
  await db.schema.dropTable("leases").execute();
}
