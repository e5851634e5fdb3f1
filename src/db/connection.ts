import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./database";
import { openSqlite, withStatementCache } from "./sqlite";

export class UnsupportedDatabaseError extends Error {}

/** The SQLite file a DATABASE_URL names: a plain path, or "sqlite:<path>". */
export function sqlitePath(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UnsupportedDatabaseError(
      "DATABASE_URL names PostgreSQL, which this version does not support yet; use a SQLite file path",
    );
  }
  return databaseUrl.startsWith("sqlite:") ? databaseUrl.slice("sqlite:".length) : databaseUrl;
}

/** Opens the database a DATABASE_URL names. */
export function openDatabase(databaseUrl: string): Kysely<Database> {
  const raw = openSqlite(sqlitePath(databaseUrl));
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
}
