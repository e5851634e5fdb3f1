import type { Kysely } from "kysely";

// Wrong passwords in the cancel dialog are counted per session, apart from the sign-in failures counted
// per e-mail address: strangers guessing at the sign-in form must not disable the cancel of a user who is
// already signed in. Kept in the database, so every instance sees the same count.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("sessions")
    .addColumn("cancel_failures", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("sessions").addColumn("cancel_last_failed_at", "text").execute();
  await db.schema.alterTable("sessions").addColumn("cancel_locked_until", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("cancel_locked_until").execute();
  await db.schema.alterTable("sessions").dropColumn("cancel_last_failed_at").execute();
  await db.schema.alterTable("sessions").dropColumn("cancel_failures").execute();
}
