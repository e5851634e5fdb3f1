import { type ColumnDefinitionBuilder, Kysely, PostgresDialect, type SqlBool, sql } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import type { Database, DbOrTx } from "./database";
import { foldedSearchWords, textTokens } from "./search-words";
import type { AnyKysely, RowQuery } from "./sqlite";

// Everything that only PostgreSQL has lives here, behind the same functions src/db/sqlite.ts offers: the
// pool, the schema the tables live in, the free-text index (a tsvector per job with a GIN index), row
// locks, server-side cursors, and which errors mean "run the transaction again".

export type PostgresOptions = {
  /** The schema the tables live in (created by the first migration run). */
  schema: string;
  /** Connections in this process's pool. */
  poolSize: number;
};

const OID_INT8 = 20;
const OID_NUMERIC = 1700;

/**
 * Values come back as JavaScript numbers, as they do from SQLite: bigint columns (sort keys, byte
 * counts), count(*) and sum() are all below 2^53, and a string in their place would compare and add
 * wrongly everywhere they are used.
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === OID_INT8 || oid === OID_NUMERIC) return (value: string) => Number(value);
    // biome-ignore lint/suspicious/noExplicitAny: pg's own parser table is typed per OID.
    return pg.types.getTypeParser(oid as any, format as any);
  },
};

const schemas = new WeakMap<object, string>();

/** Opens a pool on the database a postgres:// URL names, with the tables in `schema`. */
export function openPostgres(url: string, options: PostgresOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    // Every connection looks in the configured schema first, so no query names it.
    options: `-c search_path=${options.schema}`,
    types,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // A pool left idle (a test's, a command's) does not keep the process alive.
    allowExitOnIdle: true,
  });
  // An idle connection that the server drops reports here; the pool replaces it on the next checkout.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  schemas.set(db, options.schema);
  return db;
}

/** The schema a database handle opened by openPostgres keeps its tables in. */
export function schemaOf(db: AnyKysely): string {
  return schemas.get(db) ?? "public";
}

/**
 * The migrator's own tables go in the same schema, named: unnamed, the migrator would take one it finds
 * in any schema of the server (another test run's) for its own.
 */
export function migrationTableSchema(db: AnyKysely): string | undefined {
  return schemaOf(db);
}

/** Moves each identity column's sequence past the largest id, after rows came in with their own ids. */
export async function restartIds(db: AnyKysely, ids: readonly (readonly [string, string])[]): Promise<void> {
  for (const [table, column] of ids) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}

/** Creates the schema before the first migration puts tables in it. */
export async function prepareSchema(db: AnyKysely): Promise<void> {
  await sql`create schema if not exists ${sql.id(schemaOf(db))}`.execute(db);
}

/** Drops the schema with everything in it (test runs, each in its own schema). */
export async function dropSchema(db: AnyKysely): Promise<void> {
  await sql`drop schema if exists ${sql.id(schemaOf(db))} cascade`.execute(db);
}

/** Column types: sort keys and byte counts pass 2^31; ids are identity columns. */
export const columnTypes = {
  bigint: "bigint",
  autoId: (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity(),
} as const;

export async function createSearchIndex(db: AnyKysely): Promise<void> {
  // One row per job under its sort key, apart from the jobs table: an engine's progress events update
  // a job many times, and none of them should rewrite its search entry or touch the GIN index.
  await sql`create table jobs_fts (rowid bigint primary key, text tsvector not null)`.execute(db);
  await sql`create index jobs_fts_text on jobs_fts using gin (text)`.execute(db);
}

export async function dropSearchIndex(db: AnyKysely): Promise<void> {
  await sql`drop table if exists jobs_fts`.execute(db);
}

const lexeme = (token: string) => `'${token}'`;

/**
 * A job's text as a tsvector literal: the tokens FTS5 would make of it, each at its position, so that a
 * phrase ("bk-2026-0001") matches the same consecutive tokens on both stores. Tokens hold only letters
 * and digits, so quoting them needs no escapes.
 */
export function toTsvector(text: string): string {
  const positions = new Map<string, number[]>();
  textTokens(text).forEach((token, i) => {
    const list = positions.get(token) ?? [];
    list.push(Math.min(i + 1, 16_383));
    positions.set(token, list);
  });
  return [...positions].map(([token, at]) => `${lexeme(token)}:${at.join(",")}`).join(" ");
}

/** Puts a job's searchable text in the index under its sort key, removing the entry under `replace`. */
export async function indexJobText(
  db: DbOrTx,
  sortKey: number,
  text: string,
  replace: number | null,
): Promise<void> {
  if (replace !== null && replace !== sortKey) {
    await sql`delete from jobs_fts where rowid = ${replace}`.execute(db);
  }
  await sql`
    insert into jobs_fts (rowid, text) values (${sortKey}, ${toTsvector(text)}::tsvector)
    on conflict (rowid) do update set text = excluded.text`.execute(db);
}

const phrase = (tokens: string[], prefix: boolean) =>
  `(${tokens.map((t, i) => `${lexeme(t)}${prefix && i === tokens.length - 1 ? ":*" : ""}`).join(" <-> ")})`;

/**
 * The tsquery for a search, with the SQLite search's rules: every word must match whole, a word with
 * punctuation inside as its tokens in a row, and the last word, when no indexed word is exactly it, as a
 * prefix (it is still being typed).
 */
export async function resolveSearchQuery(db: DbOrTx, text: string): Promise<string | null> {
  const words = foldedSearchWords(text);
  if (words.length === 0) return null;
  const last = words[words.length - 1]!;
  const word = lexeme(last[last.length - 1]!);
  const exists = await sql`select rowid from jobs_fts where text @@ ${word}::tsquery limit 1`.execute(db);
  return words.map((tokens, i) => phrase(tokens, i === words.length - 1 && !exists.rows.length)).join(" & ");
}

/** Jobs whose text matches the query from resolveSearchQuery, with the index's rowid (= sort key). */
export function searchJobs(db: DbOrTx, query: string) {
  return db
    .selectFrom("jobs_fts")
    .crossJoin("jobs")
    .whereRef("jobs.sort_key", "=", "jobs_fts.rowid")
    .where(sql<SqlBool>`jobs_fts.text @@ ${query}::tsquery`);
}

/** Locks a job's row until the transaction ends, so that two instances apply its events one at a time. */
export async function lockJob(db: DbOrTx, accountId: number, jobId: string): Promise<void> {
  await sql`select pk from jobs where account_id = ${accountId} and id = ${jobId} for update`.execute(db);
}

/** Reads a query's rows through a server-side cursor, `chunk` at a time: never the whole result. */
export async function* readInChunks<R>(
  build: (after: number | null, limit: number | null) => RowQuery<R>,
  _keyOf: (row: R) => number,
  chunk: number,
): AsyncGenerator<R[]> {
  let rows: R[] = [];
  for await (const row of build(null, null).stream(chunk)) {
    rows.push(row);
    if (rows.length >= chunk) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) yield rows;
}

/**
 * Errors after which the whole transaction may simply run again: a serialization failure, a deadlock,
 * or a unique key another instance took between our read and our write (the retry reads it).
 */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01" || code === "23505";
}

/** Network errors and server states that mean "the server cannot be reached or is restarting". */
const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EPIPE",
]);

/**
 * Whether an error means the database is out of reach (down, restarting, unreachable), not that the
 * request was wrong: a connection refused or cut, a server shutting down (57P…), a connection failure
 * (class 08), or the pool giving up waiting for a connection. The pool opens new connections when the
 * server is back, so service resumes by itself.
 */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  if (!e) return false;
  const code = typeof e.code === "string" ? e.code : "";
  if (UNAVAILABLE.has(code) || code.startsWith("57P") || code.startsWith("08")) return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (/Connection terminated|timeout exceeded when trying to connect|connection timeout/i.test(message))
    return true;
  return Array.isArray(e.errors) && e.errors.some(isUnavailable);
}

/**
 * Runs a bulk load with a table's secondary indexes dropped, then builds them again from their own
 * definitions (constraint indexes stay: the load relies on them).
 */
export async function withoutIndexes<T>(db: AnyKysely, table: string, load: () => Promise<T>): Promise<T> {
  const result = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = ${table}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of result.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  try {
    return await load();
  } finally {
    for (const index of result.rows) await sql.raw(index.definition).execute(db);
  }
}

/** Rebuilds the whole free-text index from the jobs (after a bulk load), a few thousand jobs a statement. */
export async function rebuildSearchIndex(db: AnyKysely, reasonTitles: Map<string, string>): Promise<void> {
  await sql`truncate jobs_fts`.execute(db);
  let after = 0;
  for (;;) {
    const rows = await sql<{ pk: number; sort_key: number; text: string; reason: string | null }>`
      select jobs.pk, jobs.sort_key, jobs.id || ' ' || connectors.name || ' ' || jobs.description as text,
             jobs.reason
      from jobs join connectors on connectors.pk = jobs.connector_pk
      where jobs.pk > ${after} order by jobs.pk limit 5000`.execute(db);
    if (rows.rows.length === 0) return;
    const keys = rows.rows.map((r) => r.sort_key);
    // The same text as searchText() in the job lifecycle: ID, connector name, description, reason.
    const vectors = rows.rows.map((r) => {
      const title = r.reason ? reasonTitles.get(r.reason) : undefined;
      return toTsvector(`${r.text} ${title ? `${title} ${r.reason}` : ""}`);
    });
    await sql`
      insert into jobs_fts (rowid, text)
      select k, v::tsvector from unnest(${keys}::bigint[], ${vectors}::text[]) as t(k, v)`.execute(db);
    after = rows.rows[rows.rows.length - 1]!.pk;
  }
}

/** Refreshes the query planner's statistics (after a bulk load). */
export async function analyze(db: AnyKysely): Promise<void> {
  await sql`analyze`.execute(db);
}

/** A postgres:// URL as it may be printed: with its password masked. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}
