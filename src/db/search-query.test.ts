import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createSearchIndex, toSearchQuery } from "./sqlite";

describe("turning what an admin typed into a full-text query", () => {
  it("finds a single word as it is being typed", () => {
    expect(toSearchQuery("mailb")).toBe('"mailb"*');
  });

  it("requires every word, the last one as a prefix", () => {
    expect(toSearchQuery("restore anna mailbox")).toBe('"restore" "anna" "mailbox"*');
  });

  it("ignores extra spaces, tabs and line breaks between words", () => {
    expect(toSearchQuery("  restore \t anna\n")).toBe('"restore" "anna"*');
  });

  it("keeps a job ID joined by punctuation together as one phrase", () => {
    expect(toSearchQuery("bk-2026-0001")).toBe('"bk 2026 0001"*');
    expect(toSearchQuery("bk-2026-0001 failed")).toBe('"bk 2026 0001" "failed"*');
  });

  it("keeps e-mail addresses and paths together as phrases", () => {
    expect(toSearchQuery("anna@example.com")).toBe('"anna example com"*');
    expect(toSearchQuery("/Shared Documents/Q4.xlsx")).toBe('"Shared" "Documents Q4 xlsx"*');
  });

  it("drops punctuation around words", () => {
    expect(toSearchQuery('"quarterly report", (draft)!')).toBe('"quarterly" "report" "draft"*');
  });

  it("drops a trailing word that holds no letter or digit", () => {
    expect(toSearchQuery("anna -")).toBe('"anna"*');
  });

  it("cannot be tricked into FTS5 syntax by quotes, stars, columns or operators", () => {
    expect(toSearchQuery('text:"x" OR y* NEAR(a b) -z ^w')).toBe('"text x" "OR" "y" "NEAR a" "b" "z" "w"*');
  });

  it("keeps letters and digits of any script", () => {
    expect(toSearchQuery("Søren Müller")).toBe('"Søren" "Müller"*');
    expect(toSearchQuery("東京 2026")).toBe('"東京" "2026"*');
  });

  it.each(["", "   ", "---", "!!! ???", '"*"', "\t\n"])("finds nothing to search in %j", (text) => {
    expect(toSearchQuery(text)).toBeNull();
  });
});

describe("what the query finds in the search index", () => {
  const texts = [
    "Restore bk-2026-0001 of anna@example.com",
    "Backup of Jürgen Müller's mailbox",
    "Export 2026 bk for the auditors",
  ];

  async function search(text: string): Promise<number[]> {
    const database = new SQLite(":memory:");
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
    try {
      await createSearchIndex(db);
      for (const [i, t] of texts.entries())
        await sql`insert into jobs_fts (rowid, text) values (${i + 1}, ${t})`.execute(db);
      const query = toSearchQuery(text);
      if (query === null) return [];
      const rows = await sql<{
        rowid: number;
      }>`select rowid from jobs_fts where jobs_fts match ${query} order by rowid`.execute(db);
      return rows.rows.map((r) => r.rowid);
    } finally {
      await db.destroy();
    }
  }

  it("finds a job by its ID with the punctuation typed", async () => {
    expect(await search("bk-2026-0001")).toEqual([1]);
  });

  it("finds the parts of an ID only in the order typed", async () => {
    expect(await search("2026-bk")).toEqual([3]);
  });

  it("finds a job by the beginning of the last word typed", async () => {
    expect(await search("restore ann")).toEqual([1]);
    expect(await search("aud")).toEqual([3]);
  });

  it("does not treat earlier words as prefixes", async () => {
    expect(await search("rest anna")).toEqual([]);
  });

  it("finds a name with or without its accents", async () => {
    expect(await search("Muller")).toEqual([2]);
    expect(await search("jürgen müller mailbox")).toEqual([2]);
  });

  it("finds every job holding all the words typed", async () => {
    expect(await search("2026 bk")).toEqual([1, 3]);
  });
});
