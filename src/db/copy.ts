import { sql } from "kysely";
import { findReason, REASON_CODES } from "../jobs/reasons";
import type { Database, Db } from "./database";
import { rebuildSearchIndex, restartIds } from "./store";

// Moves everything one database holds into another, empty one: how an existing SQLite deployment moves
// to PostgreSQL (or back). Rows keep their ids, so every reference between them holds; the free-text
// index is built anew on the target, since each store keeps it in its own form.

/** The tables in an order where every row's references are already there. */
const TABLES = [
  "accounts",
  "users",
  "api_tokens",
  "sessions",
  "connectors",
  "jobs",
  "job_events",
  "skipped_items",
  "job_counts",
  "audit_events",
  "login_attempts",
  "ip_throttle",
  "portal_token_uses",
] as const satisfies readonly (keyof Database)[];

const IDS = [
  ["accounts", "id"],
  ["users", "id"],
  ["api_tokens", "id"],
  ["sessions", "id"],
  ["connectors", "pk"],
  ["jobs", "pk"],
  ["audit_events", "id"],
] as const;

/** Rows a statement: under both stores' limits on bound values for the widest table (jobs, ~40 columns). */
const BATCH = 500;

export class CopyRefused extends Error {}

/** Copies every row of `from` into `to` (migrated, with no accounts); returns the rows copied per table. */
export async function copyDatabase(
  from: Db,
  to: Db,
  progress: (line: string) => void = () => {},
): Promise<Record<string, number>> {
  const present = await to.selectFrom("accounts").select("id").limit(1).execute();
  if (present.length)
    throw new CopyRefused("the target database already holds accounts; copy into an empty one");
  const copied: Record<string, number> = {};
  await to.transaction().execute(async (trx) => {
    for (const table of TABLES) {
      let n = 0;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await trx
          .insertInto(table)
          // biome-ignore lint/suspicious/noExplicitAny: rows go across as they came, column for column.
          .values(batch as any)
          .execute();
        n += batch.length;
        batch = [];
      };
      for await (const row of from.selectFrom(table).selectAll().stream(BATCH)) {
        batch.push(row as Record<string, unknown>);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      copied[table] = n;
      progress(`  ${table}: ${n.toLocaleString("en-US")}\n`);
    }
    await restartIds(trx, IDS);
    const titles = new Map(REASON_CODES.map((code) => [code as string, findReason(code)!.title]));
    await rebuildSearchIndex(trx, titles);
    // Every instance's remembered summaries start over on the copy.
    await sql`update accounts set jobs_version = jobs_version + 1`.execute(trx);
  });
  return copied;
}
