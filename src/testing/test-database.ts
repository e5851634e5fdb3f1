import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { openDatabase } from "../db/connection";
import type { Db } from "../db/database";
import { migrateToLatest } from "../db/migrate";
import { dropSchema } from "../db/postgres";
import { isSqlite } from "../db/store";

// Tests run on an in-memory SQLite database, or on PostgreSQL when TEST_DATABASE_URL names a server:
// then each test database is a schema of its own on that server, so parallel test files and runs share
// it without meeting. Migrating a schema costs a second on a busy machine, so a closed database's schema
// is emptied (every table truncated, ids restarted) and handed to the next test of the same file; the
// schemas are dropped when the file's tests end.

/** The PostgreSQL server tests run against, or null for SQLite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || null;

/**
 * A test's time limit, longer on PostgreSQL: every query there is a round trip to another process, so a
 * test that loads thousands of jobs through the API takes several times as long as on SQLite.
 */
export const timeLimit = (ms: number) => (testDatabaseUrl ? ms * 5 : ms);

export type TestDatabase = {
  db: Db;
  schema: string;
  /** Another handle on the same database, as a second instance of the service has (SQLite: the same). */
  another: () => Db;
  close: () => Promise<void>;
};

/** Schemas of this process: all of them, and those free to hand out again. */
const schemas = new Set<string>();
const free: string[] = [];
const open = new Set<() => Promise<void>>();

async function emptySchema(db: Db): Promise<void> {
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(db);
  await sql`truncate ${sql.join(tables.rows.map((t) => sql.id(t.name)))} restart identity cascade`.execute(
    db,
  );
}

/**
 * A migrated, empty database with a handle of its own (so no per-handle cache outlives a test); close()
 * ends it. `fresh` asks for a schema no test used before (for a test that changes the schema itself).
 */
export async function openTestDatabase(options: { fresh?: boolean } = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const db = openDatabase(":memory:");
    await migrateToLatest(db);
    return { db, schema: "main", another: () => db, close: () => db.destroy() };
  }
  const reused = options.fresh ? undefined : free.pop();
  const schema = reused ?? `jm_test_${process.pid}_${randomBytes(5).toString("hex")}`;
  schemas.add(schema);
  const db = openDatabase(testDatabaseUrl, { schema, poolSize: 4 });
  const others: Db[] = [];
  const another = () => {
    const other = openDatabase(testDatabaseUrl, { schema, poolSize: 4 });
    others.push(other);
    return other;
  };
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      open.delete(close);
      await Promise.all(others.map((other) => other.destroy()));
      try {
        if (options.fresh) {
          await dropSchema(db);
          schemas.delete(schema);
        } else {
          await emptySchema(db);
          free.push(schema);
        }
      } finally {
        await db.destroy();
      }
    })();
    return closed;
  };
  open.add(close);
  if (!reused) await migrateToLatest(db);
  return { db, schema, another, close };
}

/** Closes the databases a test file left open and drops every schema its tests used. */
export async function closeTestDatabases(): Promise<void> {
  await Promise.allSettled([...open].map((close) => close()));
  if (!testDatabaseUrl || schemas.size === 0) return;
  const db = openDatabase(testDatabaseUrl, { poolSize: 1 });
  try {
    for (const schema of schemas) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  } finally {
    schemas.clear();
    free.length = 0;
    await db.destroy();
  }
}

/** Makes the database refuse every update of a job row, until the returned function lifts it. */
export async function refuseJobUpdates(db: Db): Promise<() => Promise<void>> {
  if (!isSqlite(db)) {
    await sql`create function refuse_update() returns trigger language plpgsql as
      $$ begin raise exception 'refused by test'; end $$`.execute(db);
    await sql`create trigger refuse_job_update before update on jobs
      for each row execute function refuse_update()`.execute(db);
    return async () => {
      await sql`drop trigger refuse_job_update on jobs`.execute(db);
      await sql`drop function refuse_update()`.execute(db);
    };
  }
  await sql`create trigger refuse_job_update before update on jobs
    begin select raise(abort, 'refused by test'); end`.execute(db);
  return async () => {
    await sql`drop trigger refuse_job_update`.execute(db);
  };
}
