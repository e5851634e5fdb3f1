import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../testing/test-database";
import { migrateDown, migrateToLatest } from "./migrate";
import { isSqlite } from "./store";

// Every migration can be undone, on SQLite and PostgreSQL alike, and applied again.

let test: TestDatabase;
afterEach(() => test.close());

async function tables(db: TestDatabase["db"]): Promise<string[]> {
  const rows = isSqlite(db)
    ? await sql<{ name: string }>`
        select name from sqlite_master where type = 'table' and name not like 'kysely_%'
          and name not like 'sqlite_%' and name not like 'jobs_fts_%'`.execute(db)
    : await sql<{ name: string }>`
        select tablename as name from pg_tables
        where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}

describe("migrations", () => {
  it("go down one by one to an empty database and up again to the same tables", async () => {
    test = await openTestDatabase({ fresh: true });
    const before = await tables(test.db);
    expect(before).toContain("jobs");
    expect(before).toContain("jobs_fts");
    expect(before).toContain("leases");
    let undone = 0;
    while ((await migrateDown(test.db)).length) undone += 1;
    expect(undone).toBeGreaterThanOrEqual(3);
    expect(await tables(test.db)).toEqual([]);
    expect((await migrateToLatest(test.db)).length).toBe(undone);
    expect(await tables(test.db)).toEqual(before);
    expect(await migrateToLatest(test.db)).toEqual([]);
  });
});
