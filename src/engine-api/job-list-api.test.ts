import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createJob,
  type Engine,
  expectProblem,
  type JobJson,
  putConnector,
  Stream,
  send,
  setup,
  type TestService,
} from "./api-test-helpers";

// GET /api/v1/jobs: the page's filters as JSON, paged with a cursor. "Now" is 2026-11-27T12:00:00Z.

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1", { name: "Contoso Mail", kind: "microsoft_365" });
  await putConnector(engine, "c2", { name: "Sales Org", kind: "salesforce" });
});
afterEach(() => t.close());

const ids = (body: { jobs: { id: string }[] }) => body.jobs.map((j) => j.id);

async function list(query = "") {
  const a = await send(engine, "GET", `/jobs${query}`);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body as { jobs: JobJson[]; nextCursor: string | null };
}

/** Six jobs spread over types, statuses, connectors and time (newest first in this list). */
async function seed() {
  await createJob(engine, {
    id: "j-pst",
    connectorId: "c2",
    type: "pst_download",
    description: "PST export",
    scheduledAt: "2026-11-27T18:00:00.000Z",
  });
  const run = async (
    id: string,
    connectorId: string,
    type: string,
    description: string,
    startedAt: string,
    finish?: Record<string, unknown>,
  ) => {
    await createJob(engine, { id, connectorId, type, description });
    const s = new Stream(engine, id);
    await s.started(startedAt);
    if (finish) await s.finished(finish, new Date(Date.parse(startedAt) + 3_600_000).toISOString());
  };
  await run("j-bk-ok", "c1", "backup", "Nightly mailbox backup", "2026-11-27T10:00:00.000Z", {
    outcome: "completed",
  });
  await run("j-bk-fail", "c2", "backup", "Salesforce org backup", "2026-11-25T08:00:00.000Z", {
    outcome: "failed",
    reason: "api_limit_reached",
  });
  await run("j-rs", "c1", "restore", "Restore of finance site", "2026-11-20T09:00:00.000Z");
  await run("j-ir", "c1", "item_restore", "Single item restore", "2026-10-01T00:00:00.000Z", {
    outcome: "completed",
  });
  await run("j-old", "c1", "backup", "Old backup", "2026-07-01T00:00:00.000Z", {
    outcome: "stopped",
    reason: "incident",
  });
}

const ALL = ["j-pst", "j-bk-ok", "j-bk-fail", "j-rs", "j-ir", "j-old"];

describe("GET /api/v1/jobs", () => {
  it("answers { jobs, nextCursor } with every job of the account, newest first, over all time", async () => {
    await seed();
    const a = await send(engine, "GET", "/jobs");
    expect(a.status).toBe(200);
    expect(a.type).toMatch(/^application\/json/);
    expect(Object.keys(a.body).sort()).toEqual(["jobs", "nextCursor"]);
    expect(ids(a.body)).toEqual(ALL);
    expect(a.body.nextCursor).toBeNull();
    expect(a.body.jobs[2]).toMatchObject({
      id: "j-bk-fail",
      connectorId: "c2",
      type: "backup",
      status: "unsuccessful",
      reason: "api_limit_reached",
      startedAt: "2026-11-25T08:00:00.000Z",
      endedAt: "2026-11-25T09:00:00.000Z",
      cancelRequested: false,
      followUpJobId: null,
    });
  });

  it("answers an empty list for an account without jobs", async () => {
    expect(await list()).toEqual({ jobs: [], nextCursor: null });
  });

  it("lists oldest first with order=oldest, and newest first with order=newest", async () => {
    await seed();
    expect(ids(await list("?order=oldest"))).toEqual([...ALL].reverse());
    expect(ids(await list("?order=newest"))).toEqual(ALL);
  });

  describe("filters", () => {
    beforeEach(seed);

    it("filters by status, each value repeatable or comma-separated", async () => {
      expect(ids(await list("?status=successful"))).toEqual(["j-bk-ok", "j-ir"]);
      expect(ids(await list("?status=scheduled"))).toEqual(["j-pst"]);
      expect(ids(await list("?status=in_progress"))).toEqual(["j-rs"]);
      expect(ids(await list("?status=incomplete&status=unsuccessful"))).toEqual(["j-bk-fail", "j-old"]);
      expect(ids(await list("?status=incomplete,unsuccessful"))).toEqual(["j-bk-fail", "j-old"]);
      expect(ids(await list("?status=cancelled"))).toEqual([]);
    });

    it("filters by type, and type=restore leaves item restores out", async () => {
      expect(ids(await list("?type=restore"))).toEqual(["j-rs"]);
      expect(ids(await list("?type=item_restore"))).toEqual(["j-ir"]);
      expect(ids(await list("?type=backup&type=pst_download"))).toEqual([
        "j-pst",
        "j-bk-ok",
        "j-bk-fail",
        "j-old",
      ]);
      expect(ids(await list("?type=zip_download"))).toEqual([]);
    });

    it("filters by connector", async () => {
      expect(ids(await list("?connector=c2"))).toEqual(["j-pst", "j-bk-fail"]);
      expect(ids(await list("?connector=c1&connector=c2"))).toEqual(ALL);
    });

    it("combines filters: every one narrows", async () => {
      expect(ids(await list("?connector=c1&type=backup&status=successful"))).toEqual(["j-bk-ok"]);
      expect(ids(await list("?connector=c2&status=successful"))).toEqual([]);
    });

    it.each([
      ["24h", ["j-pst", "j-bk-ok"]],
      ["7d", ["j-pst", "j-bk-ok", "j-bk-fail"]],
      ["30d", ["j-pst", "j-bk-ok", "j-bk-fail", "j-rs"]],
      ["90d", ["j-pst", "j-bk-ok", "j-bk-fail", "j-rs", "j-ir"]],
    ])("filters span=%s on the start time, or the scheduled time before a start", async (span, expected) => {
      expect(ids(await list(`?span=${span}`))).toEqual(expected);
    });

    it("measures a span back from the service's current time", async () => {
      t.clock.set("2026-11-28T11:00:00.000Z");
      expect(ids(await list("?span=24h"))).toEqual(["j-pst"]);
      t.clock.set("2026-11-28T09:59:59.000Z");
      expect(ids(await list("?span=24h"))).toEqual(["j-pst", "j-bk-ok"]);
    });

    it("filters from and to as whole UTC days, both inclusive", async () => {
      expect(ids(await list("?from=2026-11-20&to=2026-11-25"))).toEqual(["j-bk-fail", "j-rs"]);
      expect(ids(await list("?from=2026-11-27&to=2026-11-27"))).toEqual(["j-pst", "j-bk-ok"]);
      expect(ids(await list("?from=2026-11-25"))).toEqual(["j-pst", "j-bk-ok", "j-bk-fail"]);
      expect(ids(await list("?to=2026-11-20"))).toEqual(["j-rs", "j-ir", "j-old"]);
      expect(ids(await list("?span=custom&from=2026-10-01&to=2026-10-01"))).toEqual(["j-ir"]);
      expect(ids(await list("?from=2026-11-21&to=2026-11-24"))).toEqual([]);
    });

    it("finds jobs by free text in the description, connector name, job ID and reason", async () => {
      expect(ids(await list("?q=mailbox"))).toEqual(["j-bk-ok"]);
      expect(ids(await list("?q=Sales%20Org"))).toEqual(["j-pst", "j-bk-fail"]);
      expect(ids(await list("?q=j-rs"))).toEqual(["j-rs"]);
      expect(ids(await list("?q=api_limit_reached"))).toEqual(["j-bk-fail"]);
      expect(ids(await list(`?q=${encodeURIComponent("request limit")}`))).toEqual(["j-bk-fail"]);
      expect(ids(await list("?q=nothing-like-this"))).toEqual([]);
    });

    it("matches the last word of the free text as a prefix, and ignores case", async () => {
      expect(ids(await list("?q=MAILB"))).toEqual(["j-bk-ok"]);
      expect(ids(await list("?q=finance%20si"))).toEqual(["j-rs"]);
    });

    it("combines free text with the other filters", async () => {
      expect(ids(await list("?q=backup&status=successful"))).toEqual(["j-bk-ok"]);
      expect(ids(await list("?q=backup&connector=c2"))).toEqual(["j-bk-fail"]);
    });
  });

  describe("paging", () => {
    /** n jobs started one minute apart, the last one newest. */
    async function many(n: number, type = "backup") {
      for (let i = 0; i < n; i += 1) {
        const id = `p${String(i).padStart(3, "0")}`;
        await createJob(engine, { id, type });
        await new Stream(engine, id).started(
          new Date(Date.parse("2026-11-01T00:00:00Z") + i * 60_000).toISOString(),
        );
      }
    }

    async function walk(query: string) {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const sep = query ? "&" : "?";
        const body = await list(cursor ? `${query}${sep}cursor=${encodeURIComponent(cursor)}` : query);
        pages.push(ids(body));
        cursor = body.nextCursor;
      } while (cursor && pages.length < 20);
      return pages;
    }

    it("answers 50 jobs a page by default, with a nextCursor to the rest", async () => {
      await many(60);
      const first = await list();
      expect(first.jobs).toHaveLength(50);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(`?cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(second.jobs).toHaveLength(10);
      expect(second.nextCursor).toBeNull();
      const all = [...ids(first), ...ids(second)];
      expect(new Set(all).size).toBe(60);
      expect(all).toEqual([...all].sort().reverse());
    });

    it.each([
      [25, [25, 25, 10]],
      [50, [50, 10]],
      [100, [60]],
    ])("pages with size=%i", async (size, lengths) => {
      await many(60);
      const pages = await walk(`?size=${size}`);
      expect(pages.map((p) => p.length)).toEqual(lengths);
      expect(new Set(pages.flat()).size).toBe(60);
    });

    it("pages oldest first with order=oldest", async () => {
      await many(30);
      const pages = await walk("?size=25&order=oldest");
      expect(pages.flat()).toEqual(Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(3, "0")}`));
    });

    it("pages within a filter", async () => {
      await many(30, "backup");
      for (let i = 0; i < 30; i += 1) await createJob(engine, { id: `r${i}`, type: "restore" });
      const pages = await walk("?size=25&type=backup");
      expect(pages.map((p) => p.length)).toEqual([25, 5]);
      expect(pages.flat().every((id) => id.startsWith("p"))).toBe(true);
    });

    it("pages through jobs that share the same time without losing or repeating one", async () => {
      for (let i = 0; i < 30; i += 1) await createJob(engine, { id: `same${i}` });
      const pages = await walk("?size=25");
      expect(pages.map((p) => p.length)).toEqual([25, 5]);
      expect(new Set(pages.flat()).size).toBe(30);
    });

    it("keeps the next page stable when a newer job arrives meanwhile", async () => {
      await many(30);
      const first = await list("?size=25");
      await createJob(engine, { id: "newcomer", scheduledAt: "2026-11-27T23:00:00.000Z" });
      const second = await list(`?size=25&cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(ids(second)).toEqual(["p004", "p003", "p002", "p001", "p000"]);
    });

    it("has no nextCursor when the jobs fill the last page exactly", async () => {
      await many(25);
      expect((await list("?size=25")).nextCursor).toBeNull();
    });
  });

  describe("bad parameters", () => {
    it.each([
      ["status", "?status=done"],
      ["status", "?status=successful,nope"],
      ["type", "?type=restores"],
      ["span", "?span=1y"],
      ["span", "?span=24h&from=2026-11-01"],
      ["span", "?span=custom"],
      ["from", "?from=2026-13-01"],
      ["from", "?from=27-11-2026"],
      ["from", "?from=2026-02-30"],
      ["to", "?to=tomorrow"],
      ["to", "?from=2026-11-20&to=2026-11-19"],
      ["size", "?size=10"],
      ["size", "?size=abc"],
      ["size", "?size=25&size=50"],
      ["order", "?order=up"],
      ["cursor", "?cursor=garbage"],
      ["q", `?q=${"x".repeat(201)}`],
      ["q", "?q=%21%21%21"],
      ["connector", "?connector=nobody"],
      ["connector", `?connector=${"c".repeat(129)}`],
      ["query", "?page=2"],
      ["query", "?Status=successful"],
    ])("answers 400 naming %s for %s", async (field, query) => {
      const a = await send(engine, "GET", `/jobs${query}`);
      expectProblem(a, 400, field);
      expect(a.body.jobs).toBeUndefined();
    });

    it("lists every bad parameter", async () => {
      const a = await send(engine, "GET", "/jobs?status=x&type=y&size=7");
      expectProblem(a, 400);
      const fields = a.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(["size", "status", "type"]);
    });

    it("accepts a search of exactly 200 characters", async () => {
      expect((await send(engine, "GET", `/jobs?q=${"x".repeat(200)}`)).status).toBe(200);
    });
  });
});
