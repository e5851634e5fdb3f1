import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { type ColumnDefinitionBuilder, type Kysely, type SqlBool, SqliteAdapter, sql } from "kysely";
import type { DbOrTx } from "./database";
import { searchWords } from "./search-words";

// biome-ignore lint/suspicious/noExplicitAny: schema helpers run on any database shape (migrations included).
export type AnyKysely = Kysely<any>;

/** A query whose rows can be read at once or streamed. */
export type RowQuery<R> = { execute(): Promise<R[]>; stream(chunkSize?: number): AsyncIterableIterator<R> };

// Everything that only SQLite has lives here: the connection's pragmas, the statement cache, and the
// FTS5 free-text index. src/db/postgres.ts offers the same functions for PostgreSQL, and src/db/store.ts
// picks one of the two for a database handle.

/**
 * Opens the database file with the settings the service relies on.
 *
 * synchronous=NORMAL in WAL mode: a commit is in the WAL file (in the OS page cache) before the engine
 * gets its 200, so an acknowledged event survives a crash of this process; only a power loss or kernel
 * crash could drop the last commits, and guarding against that (FULL) costs an fsync per event, which
 * would cap ingest far below what engines send. Checkpoints still fsync.
 */
export function openSqlite(path: string): SQLite.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("temp_store = MEMORY");
  db.pragma("cache_size = -32000");
  return db;
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing costs as much
 * as running a small query. This keeps prepared statements by SQL text. A statement that is still being
 * iterated (a streaming read) is busy, so a second user of the same SQL gets a fresh one.
 */
export function withStatementCache(db: SQLite.Database, limit = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string): SQLite.Statement {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = db.prepare(text);
      if (!cached) {
        if (cache.size >= limit) cache.clear();
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

export function isSqlite(db: AnyKysely): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Column types: SQLite's integer is 64 bits, and an integer primary key is the rowid. */
export const columnTypes = {
  bigint: "integer",
  autoId: (c: ColumnDefinitionBuilder) => c.primaryKey(),
} as const;

/** The migrator's own tables live with the others. */
export function migrationTableSchema(_db: AnyKysely): string | undefined {
  return undefined;
}

/** Ids given explicitly (a copy) need nothing more: the next rowid follows the largest. */
export async function restartIds(
  _db: AnyKysely,
  _ids: readonly (readonly [string, string])[],
): Promise<void> {}

/** Nothing to prepare: the file is the database. */
export async function prepareSchema(_db: AnyKysely): Promise<void> {}

/** One connection runs one transaction at a time, so a job needs no lock of its own. */
export async function lockJob(_db: DbOrTx, _accountId: number, _jobId: string): Promise<void> {}

/**
 * Reads a query's rows in keyset chunks, each one short query: a streaming read would hold the only
 * connection (and so every other request) until the last row was read.
 */
export async function* readInChunks<R>(
  build: (after: number | null, limit: number | null) => RowQuery<R>,
  keyOf: (row: R) => number,
  chunk: number,
): AsyncGenerator<R[]> {
  let after: number | null = null;
  for (;;) {
    const rows = await build(after, chunk).execute();
    if (rows.length) yield rows;
    if (rows.length < chunk) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** Transactions never conflict: there is one connection, and it runs them one after another. */
export function isRetryable(_error: unknown): boolean {
  return false;
}

/** The file is opened once at start; a failure later is a real error, never a passing outage. */
export function isUnavailable(_error: unknown): boolean {
  return false;
}

export async function createSearchIndex(db: AnyKysely): Promise<void> {
  // Contentless: the index keeps only tokens (the text lives in jobs and connectors); rowid = sort_key.
  await sql`create virtual table jobs_fts using fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
    db,
  );
}

export async function dropSearchIndex(db: AnyKysely): Promise<void> {
  await sql`drop table if exists jobs_fts`.execute(db);
}

/** Puts a job's searchable text in the index under its sort key, removing the entry under `replace`. */
export async function indexJobText(
  db: DbOrTx,
  sortKey: number,
  text: string,
  replace: number | null,
): Promise<void> {
  if (replace !== null) await sql`delete from jobs_fts where rowid = ${replace}`.execute(db);
  await sql`insert into jobs_fts (rowid, text) values (${sortKey}, ${text})`.execute(db);
}

/**
 * Turns what an admin typed into an FTS5 query: every word must appear; a word with punctuation inside
 * (a job ID like "bk-2026-0001") must appear as that sequence; the last word may be incomplete (it is
 * being typed). Returns null when the text holds no letter or digit.
 */
export function toSearchQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((tokens, i) => `"${tokens.join(" ")}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

/**
 * The FTS5 query for a search, ready to run. Every word must match whole, except the last, which may be
 * a word still being typed: when no indexed word is exactly that, it matches as a prefix. A prefix query
 * makes FTS5 merge the whole doclists of every word it covers before it returns the first row (tens of
 * milliseconds for a common word), while a whole word is read lazily, newest first, and a page stops
 * after its first matches; so "mailbox" is looked up as the word, "mailb" as a prefix.
 */
export async function resolveSearchQuery(db: DbOrTx, text: string): Promise<string | null> {
  const words = searchWords(text);
  if (words.length === 0) return null;
  const phrase = (tokens: string[]) => `"${tokens.join(" ")}"`;
  const last = words[words.length - 1]!;
  const word = phrase([last[last.length - 1]!]);
  const exists = await sql`select rowid from jobs_fts where jobs_fts match ${word} limit 1`.execute(db);
  const lastQuery = exists.rows.length ? phrase(last) : `${phrase(last)}*`;
  return [...words.slice(0, -1).map(phrase), lastQuery].join(" ");
}

/**
 * Jobs whose text matches the query from toSearchQuery, read from the search index in its rowid order,
 * which is the list's order (rowid = jobs.sort_key). CROSS JOIN keeps the index as the outer loop, so a
 * page of a common word stops after its first matches instead of collecting them all.
 */
export function searchJobs(db: DbOrTx, query: string) {
  return db
    .selectFrom("jobs_fts")
    .crossJoin("jobs")
    .whereRef("jobs.sort_key", "=", "jobs_fts.rowid")
    .where(sql<SqlBool>`jobs_fts match ${query}`);
}

/** The search index's order column, which is the list's order. */
export const SEARCH_ORDER = "jobs_fts.rowid" as const;

/**
 * Runs a bulk load with a table's secondary indexes dropped, then builds them again from their own
 * definitions: building an index once is far faster than updating it row by row.
 */
export async function withoutIndexes<T>(db: AnyKysely, table: string, load: () => Promise<T>): Promise<T> {
  const result = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
    db,
  );
  for (const index of result.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  try {
    return await load();
  } finally {
    for (const index of result.rows) await sql.raw(index.sql).execute(db);
  }
}

/** Rebuilds the whole free-text index from the jobs (after a bulk load). */
export async function rebuildSearchIndex(db: AnyKysely, reasonTitles: Map<string, string>): Promise<void> {
  await sql`delete from jobs_fts`.execute(db);
  const reasonText = sql.join(
    [...reasonTitles].map(([code, title]) => sql`when ${code} then ${`${title} ${code}`}`),
    sql` `,
  );
  // The same text as searchText() in the job lifecycle: ID, connector name, description, reason.
  await sql`
    insert into jobs_fts (rowid, text)
    select jobs.sort_key, jobs.id || ' ' || connectors.name || ' ' || jobs.description || ' ' ||
           coalesce(case jobs.reason ${reasonText} end, '')
    from jobs join connectors on connectors.pk = jobs.connector_pk`.execute(db);
}

/** Refreshes the query planner's statistics (after a bulk load). */
export async function analyze(db: AnyKysely): Promise<void> {
  await sql`analyze`.execute(db);
}

/**
 * Rebuilds a table under a changed definition, for what SQLite cannot alter in place (adding or dropping
 * a CHECK constraint). SQLite's documented procedure: foreign keys off, a new table from the edited
 * CREATE statement, the rows copied, the old table dropped and the new one renamed, the indexes made
 * again, the foreign keys checked; all in one transaction, so a failure leaves the table as it was.
 * `prepare` runs first in the same transaction (to repair rows the new definition would refuse).
 * Only for migrations, which SQLite runs outside any transaction.
 */
export async function rebuildTable(
  db: AnyKysely,
  table: string,
  edit: (createSql: string) => string,
  prepare: () => Promise<void> = async () => {},
): Promise<void> {
  const schema = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = schema.rows.find((r) => r.type === "table")?.sql;
  if (!create) throw new Error(`no table ${table}`);
  const others = schema.rows.filter((r) => r.type !== "table");
  if (others.some((r) => r.type !== "index")) throw new Error(`${table} has triggers or views to move too`);
  const rebuilt = `${table}_rebuilt`;
  const edited = edit(create);
  const renamed = edited.replace(/^create table\s+("?)[A-Za-z_]+\1/i, `create table "${rebuilt}"`);
  if (renamed === edited) throw new Error(`cannot rename the CREATE statement of ${table}`);

  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await prepare();
      await sql.raw(renamed).execute(db);
      await sql`insert into ${sql.id(rebuilt)} select * from ${sql.id(table)}`.execute(db);
      await sql`drop table ${sql.id(table)}`.execute(db);
      await sql`alter table ${sql.id(rebuilt)} rename to ${sql.id(table)}`.execute(db);
      for (const index of others) await sql.raw(index.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`rebuilding ${table} broke ${broken.rows.length} foreign keys`);
      await sql`commit`.execute(db);
    } catch (e) {
      await sql`rollback`.execute(db);
      throw e;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** The CREATE statement SQLite keeps for a table (to see whether a migration already changed it). */
export async function tableDefinition(db: AnyKysely, table: string): Promise<string> {
  const row = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return row.rows[0]?.sql ?? "";
}
