import { type ColumnDefinitionBuilder, PostgresAdapter } from "kysely";
import type { DbOrTx } from "./database";
import * as postgres from "./postgres";
import type { AnyKysely, RowQuery } from "./sqlite";
import * as sqlite from "./sqlite";

// The one place that knows there are two stores: each function here hands its work to src/db/sqlite.ts
// or src/db/postgres.ts, by the handle's dialect. Migrations, repositories and routes call these and
// never ask which store they run on.

export type { AnyKysely, RowQuery } from "./sqlite";
export { toSearchQuery } from "./sqlite";

type Store = typeof sqlite | typeof postgres;

function storeOf(db: AnyKysely | DbOrTx): Store {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgres : sqlite;
}

/** Whether the handle is SQLite's: for the few schema details only SQLite has (WITHOUT ROWID). */
export const isSqlite = (db: AnyKysely): boolean => storeOf(db) === sqlite;

export const columnTypes = (
  db: AnyKysely,
): { bigint: "integer" | "bigint"; autoId: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder } =>
  storeOf(db).columnTypes;

/** After rows were copied in with their ids: new rows get ids past them. `ids` is [table, column] pairs. */
export const restartIds = (db: AnyKysely, ids: readonly (readonly [string, string])[]) =>
  storeOf(db).restartIds(db, ids);

export const migrationTableSchema = (db: AnyKysely) => storeOf(db).migrationTableSchema(db);
export const prepareSchema = (db: AnyKysely) => storeOf(db).prepareSchema(db);
export const createSearchIndex = (db: AnyKysely) => storeOf(db).createSearchIndex(db);
export const dropSearchIndex = (db: AnyKysely) => storeOf(db).dropSearchIndex(db);

export const indexJobText = (db: DbOrTx, sortKey: number, text: string, replace: number | null) =>
  storeOf(db).indexJobText(db, sortKey, text, replace);

export const resolveSearchQuery = (db: DbOrTx, text: string) => storeOf(db).resolveSearchQuery(db, text);

/** Jobs matching a query from resolveSearchQuery; SEARCH_ORDER is the list's order among them. */
export const searchJobs = (db: DbOrTx, query: string) =>
  // Both stores return the same query shape (jobs_fts cross join jobs), so one type serves.
  (storeOf(db) as typeof sqlite).searchJobs(db, query);

/** The search index's order column, which is the list's order (rowid = sort key on both stores). */
export const SEARCH_ORDER = "jobs_fts.rowid" as const;

/** Locks a job's row for the rest of the transaction (PostgreSQL; SQLite runs one at a time anyway). */
export const lockJob = (db: DbOrTx, accountId: number, jobId: string) =>
  storeOf(db).lockJob(db, accountId, jobId);

/**
 * Every row of a query in chunks of `chunk`, without holding them all: PostgreSQL streams one query
 * through a server-side cursor; SQLite runs one short keyset query per chunk. `build(after, limit)`
 * returns the query, narrowed to rows after that key and limited when asked.
 */
export function readInChunks<R>(
  db: DbOrTx,
  build: (after: number | null, limit: number | null) => RowQuery<R>,
  keyOf: (row: R) => number,
  chunk: number,
): AsyncGenerator<R[]> {
  return storeOf(db).readInChunks(build, keyOf, chunk);
}

/** Whether a failed transaction may be run again as it is. */
export const isRetryable = (db: DbOrTx, error: unknown) => storeOf(db).isRetryable(error);

/** Whether an error means the database is out of reach for now (the answer is 503, try again later). */
export const isUnavailable = (db: DbOrTx, error: unknown) => storeOf(db).isUnavailable(error);

export const withoutIndexes = <T>(db: AnyKysely, table: string, load: () => Promise<T>) =>
  storeOf(db).withoutIndexes(db, table, load);

export const rebuildSearchIndex = (db: AnyKysely, reasonTitles: Map<string, string>) =>
  storeOf(db).rebuildSearchIndex(db, reasonTitles);

export const analyze = (db: AnyKysely) => storeOf(db).analyze(db);
