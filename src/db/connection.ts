import { Kysely, SqliteDialect, sql } from "kysely";
import type { Config } from "../config";
import type { Database } from "./database";
import { maskUrl, openPostgres } from "./postgres";
import { openSqlite, withStatementCache } from "./sqlite";

/** The database could not be reached or opened at start; the message names DATABASE_URL, masked. */
export class DatabaseUnreachableError extends Error {}

/** Whether a DATABASE_URL names PostgreSQL (postgres:// or postgresql://) rather than a SQLite file. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** The SQLite file a DATABASE_URL names: a plain path, or "sqlite:<path>"; null for PostgreSQL. */
export function sqlitePath(databaseUrl: string): string | null {
  if (isPostgresUrl(databaseUrl)) return null;
  return databaseUrl.startsWith("sqlite:") ? databaseUrl.slice("sqlite:".length) : databaseUrl;
}

/** DATABASE_URL as it may appear in a log line or an error: without its password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  return isPostgresUrl(databaseUrl) ? maskUrl(databaseUrl) : databaseUrl;
}

export type DatabaseOptions = {
  /** PostgreSQL only: the schema the tables live in. */
  schema?: string;
  /** PostgreSQL only: connections in the pool. */
  poolSize?: number;
};

/** Opens the database a DATABASE_URL names: a SQLite file, or a pool on a PostgreSQL server. */
export function openDatabase(databaseUrl: string, options: DatabaseOptions = {}): Kysely<Database> {
  if (isPostgresUrl(databaseUrl)) {
    return openPostgres(databaseUrl, {
      schema: options.schema ?? "public",
      poolSize: options.poolSize ?? 10,
    });
  }
  const raw = openSqlite(sqlitePath(databaseUrl)!);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
}

/** Opens the database the settings name (DATABASE_URL, DATABASE_SCHEMA, DATABASE_POOL_SIZE). */
export function openConfiguredDatabase(
  config: Pick<Config, "databaseUrl" | "databaseSchema" | "databasePoolSize">,
): Kysely<Database> {
  return openDatabase(config.databaseUrl, {
    schema: config.databaseSchema,
    poolSize: config.databasePoolSize,
  });
}

/** Asks the database for one row, so that a server that cannot be reached is reported at start. */
export async function checkDatabase(db: Kysely<Database>, databaseUrl: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    // Node reports a refused connection to a name with several addresses as an AggregateError whose own
    // message is empty.
    const err = e as { message?: string; code?: string; errors?: { message?: string }[] };
    const why = err.message || err.errors?.[0]?.message || err.code || String(e);
    throw new DatabaseUnreachableError(
      `Cannot use the database at DATABASE_URL=${describeDatabaseUrl(databaseUrl)}: ${why}`,
    );
  }
}
