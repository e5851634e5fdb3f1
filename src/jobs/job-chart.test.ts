import { afterEach, describe, expect, it } from "vitest";
import { JobChartView } from "../../views/partials/job-chart";
import { DAY, MINUTE } from "../clock";
import { createJob, type Engine, putConnector, Stream } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { timeLimit } from "../testing/test-database";
import { TIME_ZONE_COOKIE } from "../web/pages";
import { type ChartDay, loadJobChart } from "./job-chart";
import { toJobFilter } from "./job-list";
import { parseJobQuery } from "./job-query";

// The chart above the Job Monitor table (issue 4 §6): jobs per day stacked by how they ended, with the
// same numbers in a visually hidden table. Its totals must equal the status summary's counts for the
// same filter, and its days must be the user's days (UTC, or Europe/Copenhagen from the jm_tz cookie or
// the user's setting).

const FINISHED = ["successful", "incomplete", "unsuccessful", "cancelled"] as const;
type Finished = (typeof FINISHED)[number];
const LABELS: Record<Finished, string> = {
  successful: "Successful",
  incomplete: "Incomplete",
  unsuccessful: "Unsuccessful",
  cancelled: "Cancelled",
};
/** The engine outcome that gives each status to a backup. */
const OUTCOME: Record<Finished, Record<string, unknown>> = {
  successful: { outcome: "completed" },
  incomplete: { outcome: "stopped", reason: "api_limit_reached" },
  unsuccessful: { outcome: "failed", reason: "internal_error" },
  cancelled: { outcome: "cancelled" },
};

let t: TestService;
let engine: Engine;
let user: SignedInUser;
afterEach(() => t?.close());

async function service(now = "2026-11-27T12:00:00.000Z") {
  t = await createTestApp({ scryptLog2N: 12 });
  t.clock.set(now);
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  await putConnector(engine, "c2", { name: "Fabrikam SharePoint", kind: "sharepoint" });
}

let seq = 0;
async function job(
  at: string,
  status: Finished | "in_progress",
  options: { type?: string; connectorId?: string } = {},
) {
  seq += 1;
  const id = `job-${seq}`;
  await createJob(engine, {
    id,
    type: options.type ?? "backup",
    connectorId: options.connectorId ?? "c1",
    description: seq % 2 ? "Nightly backup of mailboxes" : "Weekly backup of sites",
  });
  const s = new Stream(engine, id);
  await s.started(at);
  if (status === "in_progress") return;
  const outcome =
    options.type === "restore" && status === "incomplete"
      ? { outcome: "stopped", stats: { restored: { items: 1, bytes: 1 } } }
      : OUTCOME[status];
  await s.finished(outcome, new Date(Date.parse(at) + 10 * MINUTE).toISOString());
}

/** A deterministic spread of jobs over the last 40 days, many close to midnight in UTC or Copenhagen. */
async function spread(n: number, now: string) {
  let x = 12345;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  for (let i = 0; i < n; i += 1) {
    const dayBack = Math.floor(rand() * 40);
    const minute = [0, 30, 59, 60, 61, 23 * 60 - 1, 23 * 60, 23 * 60 + 1, Math.floor(rand() * 1440)][i % 9]!;
    const at = Date.parse(now.slice(0, 10)) - dayBack * DAY + minute * MINUTE;
    if (at >= Date.parse(now) - MINUTE) continue;
    const status = FINISHED[Math.floor(rand() * 4)]!;
    await job(new Date(at).toISOString(), status, {
      type: rand() < 0.3 ? "restore" : "backup",
      connectorId: rand() < 0.5 ? "c1" : "c2",
    });
  }
  // Running jobs count in the summary, never in the chart.
  await job(new Date(Date.parse(now) - 5 * MINUTE).toISOString(), "in_progress");
}

type ChartRow = { day: string; counts: Record<Finished, number>; total: number };

function chartTable(html: string): ChartRow[] {
  const table = /<table class="visually-hidden">([\s\S]*?)<\/table>/.exec(html);
  expect(table, "the chart's hidden table").not.toBeNull();
  const head = [...table![1]!.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
  expect(head).toEqual(["Day", "Successful", "Incomplete", "Unsuccessful", "Cancelled", "Total"]);
  return [...table![1]!.matchAll(/<tr><th>([^<]+)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => {
    const cells = [...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => Number(c[1]!.replace(/[^\d]/g, "")));
    return {
      day: m[1]!,
      counts: {
        successful: cells[0]!,
        incomplete: cells[1]!,
        unsuccessful: cells[2]!,
        cancelled: cells[3]!,
      },
      total: cells[4]!,
    };
  });
}

function summary(html: string): Record<Finished, number> {
  const out = {} as Record<Finished, number>;
  for (const s of FINISHED) {
    const m = new RegExp(`aria-label="${LABELS[s]}: ([\\d,]+) jobs\\. Show only these\\."`).exec(html);
    expect(m, `summary count of ${s}`).not.toBeNull();
    out[s] = Number(m![1]!.replace(/,/g, ""));
  }
  return out;
}

function sumChart(rows: ChartRow[]): Record<Finished, number> {
  const out = { successful: 0, incomplete: 0, unsuccessful: 0, cancelled: 0 };
  for (const r of rows) {
    for (const s of FINISHED) out[s] += r.counts[s];
    expect(r.total).toBe(FINISHED.reduce((n, s) => n + r.counts[s], 0));
  }
  return out;
}

async function viewAs(zone: "UTC" | "Europe/Copenhagen", how: "cookie" | "setting") {
  user = await signIn(t, engine.account.id, { email: `viewer-${zone.length}-${how}@example.com` });
  if (how === "cookie") user.jar.cookies.set(TIME_ZONE_COOKIE, zone);
  else expect((await user.post("/settings", { time_zone: zone })).status).toBe(303);
  const html = await (await user.get("/jobs")).text();
  expect(html).toContain(`data-time-zone="${zone}"`);
}

describe.each([
  ["UTC", "cookie"],
  ["Europe/Copenhagen", "cookie"],
  ["Europe/Copenhagen", "setting"],
] as const)("in %s (from the %s)", (zone, how) => {
  it.each(["7d", "30d"])("with span=%s the chart's totals equal the status summary", async (span) => {
    const now = "2026-11-27T12:00:00.000Z";
    await service(now);
    await spread(160, now);
    await viewAs(zone, how);
    const queries = [
      `span=${span}`,
      `span=${span}&type=backup`,
      `span=${span}&connector=c2`,
      `span=${span}&q=nightly`,
      `span=${span}&status=unsuccessful&status=cancelled`,
    ];
    for (const q of queries) {
      const res = await user.get(`/jobs?${q}`);
      expect(res.status, q).toBe(200);
      const html = await res.text();
      const rows = chartTable(html);
      expect(rows.length, q).toBe(span === "7d" ? 8 : 31);
      const counts = summary(html);
      const chart = sumChart(rows);
      const shown = q.includes("status=") ? (["unsuccessful", "cancelled"] as const) : FINISHED;
      for (const s of shown) expect(chart[s], `${q}: ${s}`).toBe(counts[s]);
      for (const s of FINISHED.filter((x) => !(shown as readonly string[]).includes(x))) {
        expect(chart[s], `${q}: ${s} is filtered out`).toBe(0);
      }
      expect(
        FINISHED.reduce((n, s) => n + chart[s], 0),
        q,
      ).toBeGreaterThan(0);
    }
  });
});

describe("the chart's days", () => {
  async function setup() {
    await service("2026-11-27T12:00:00.000Z");
    await job("2026-11-20T11:00:00.000Z", "successful"); // before span=7d begins (12:00 on the 20th)
    await job("2026-11-20T13:00:00.000Z", "successful");
    await job("2026-11-25T23:30:00.000Z", "successful"); // 26 Nov in Copenhagen (UTC+1)
    await job("2026-11-26T00:30:00.000Z", "unsuccessful");
    await job("2026-11-26T22:59:00.000Z", "incomplete"); // 23:59 in Copenhagen
    await job("2026-11-26T23:00:00.000Z", "cancelled"); // midnight in Copenhagen: the 27th
    await job("2026-11-27T11:00:00.000Z", "successful");
  }

  const row = (day: string, s: number, i: number, u: number, c: number) => ({
    day,
    counts: { successful: s, incomplete: i, unsuccessful: u, cancelled: c },
    total: s + i + u + c,
  });

  it("are UTC days by default", async () => {
    await setup();
    await viewAs("UTC", "cookie");
    const rows = chartTable(await (await user.get("/jobs?span=7d")).text());
    expect(rows).toEqual([
      row("20 Nov 2026", 1, 0, 0, 0),
      row("21 Nov 2026", 0, 0, 0, 0),
      row("22 Nov 2026", 0, 0, 0, 0),
      row("23 Nov 2026", 0, 0, 0, 0),
      row("24 Nov 2026", 0, 0, 0, 0),
      row("25 Nov 2026", 1, 0, 0, 0),
      row("26 Nov 2026", 0, 1, 1, 1),
      row("27 Nov 2026", 1, 0, 0, 0),
    ]);
  });

  it("are the user's days in Europe/Copenhagen", async () => {
    await setup();
    await viewAs("Europe/Copenhagen", "setting");
    const rows = chartTable(await (await user.get("/jobs?span=7d")).text());
    expect(rows).toEqual([
      row("20 Nov 2026", 1, 0, 0, 0),
      row("21 Nov 2026", 0, 0, 0, 0),
      row("22 Nov 2026", 0, 0, 0, 0),
      row("23 Nov 2026", 0, 0, 0, 0),
      row("24 Nov 2026", 0, 0, 0, 0),
      row("25 Nov 2026", 0, 0, 0, 0),
      row("26 Nov 2026", 1, 1, 1, 0),
      row("27 Nov 2026", 1, 0, 0, 1),
    ]);
  });

  it("follow Copenhagen across the end of summer time", async () => {
    await service("2026-11-05T12:00:00.000Z");
    await job("2026-10-24T22:30:00.000Z", "successful"); // 00:30 on 25 Oct, summer time (UTC+2)
    await job("2026-10-25T22:30:00.000Z", "incomplete"); // 23:30 on 25 Oct, winter time (UTC+1)
    await job("2026-10-25T23:30:00.000Z", "unsuccessful"); // 00:30 on 26 Oct
    await job("2026-10-07T11:00:00.000Z", "cancelled"); // before span=30d begins (12:00 on 6 Oct)… inside
    await job("2026-10-06T11:59:00.000Z", "cancelled"); // … and just outside
    await viewAs("Europe/Copenhagen", "cookie");
    const html = await (await user.get("/jobs?span=30d")).text();
    const rows = chartTable(html);
    const byDay = new Map(rows.map((r) => [r.day, r]));
    expect(byDay.get("24 Oct 2026")!.total).toBe(0);
    expect(byDay.get("25 Oct 2026")!.counts).toEqual({
      successful: 1,
      incomplete: 1,
      unsuccessful: 0,
      cancelled: 0,
    });
    expect(byDay.get("26 Oct 2026")!.counts).toEqual({
      successful: 0,
      incomplete: 0,
      unsuccessful: 1,
      cancelled: 0,
    });
    expect(byDay.get("7 Oct 2026")!.counts.cancelled).toBe(1);
    expect(rows[0]!.day).toBe("6 Oct 2026");
    expect(rows[0]!.total).toBe(0);
    expect(sumChart(rows)).toEqual(summary(html));
  });

  // BUG (src/jobs/job-chart.ts, outside this change's files): a restore scheduled for a later day and
  // cancelled now keeps its scheduled time as its sort time, so the summary counts it as Cancelled (the
  // filter has no end) while the chart, which stops at today, leaves it out: the totals differ.
  it("count a scheduled restore that was cancelled before its day, like the summary does", async () => {
    await service("2026-11-27T12:00:00.000Z");
    await job("2026-11-26T10:00:00.000Z", "successful");
    await createJob(engine, {
      id: "later",
      type: "restore",
      description: "Restore planned for tomorrow",
      scheduledAt: "2026-11-28T09:00:00.000Z",
    });
    await viewAs("UTC", "cookie");
    await user.post("/jobs/later/cancel", { password: user.password });
    const html = await (await user.get("/jobs?span=7d")).text();
    expect(summary(html).cancelled).toBe(1);
    expect(sumChart(chartTable(html))).toEqual(summary(html));
  });
});

describe("a search with more matches than are counted", () => {
  it(
    "has no chart, says why, and totals “more than 1,000”; the same search on one day has its chart",
    async () => {
      await service();
      user = await signIn(t, engine.account.id);
      // Every other job() says "Nightly backup of mailboxes": 1,001 of them match "nightly".
      // A few at a time: on PostgreSQL each call waits on round trips, which overlap.
      for (let i = 0; i < 2_002; i += 8) {
        const batch = Array.from({ length: Math.min(8, 2_002 - i) }, (_, k) => i + k);
        await Promise.all(
          batch.map((n) =>
            job(new Date(Date.parse("2026-11-27T10:00:00.000Z") - n * MINUTE).toISOString(), "successful"),
          ),
        );
      }
      const html = await (await user.get("/jobs?q=nightly")).text();
      expect(html).toContain("of more than 1,000 jobs");
      expect(html).not.toContain('<figure class="chart"');
      expect(html).toContain("No chart for more than 1,000 matches: narrow the search to see jobs per day.");

      const { query } = parseJobQuery(
        { q: ["nightly"] },
        { now: t.clock.now(), timeZone: "UTC", strict: false },
      );
      const { filter } = await toJobFilter(t.db, engine.account.id, query);
      expect(await loadJobChart(t.db, filter, { now: t.clock.now(), timeZone: "UTC" })).toBeNull();

      // The same word on one day: 300 matches, counted in full and drawn.
      const narrow = await (
        await user.get("/jobs?q=nightly&span=custom&from=2026-11-27&to=2026-11-27")
      ).text();
      expect(narrow).toContain('<figure class="chart"');
      expect(narrow).not.toContain("No chart for more than");
    },
    timeLimit(120_000),
  );
});

describe("the chart's caption", () => {
  const day = (d: string, successful = 0, unsuccessful = 0): ChartDay => ({
    day: d,
    counts: { successful, incomplete: 0, unsuccessful, cancelled: 0 },
  });
  const scale = (html: string) =>
    /<div class="chart-scale"[^>]*>([\s\S]*?)<\/div>/.exec(html)![1]!.replace(/<[^>]+>/g, "|");

  it("names no maximum when a filter leaves the chart empty", async () => {
    const html = String(
      await JobChartView({ chart: { days: [day("2026-11-26"), day("2026-11-27")], truncated: false } }),
    );
    expect(html).toContain("No job finished on these days.");
    expect(scale(html)).not.toContain("max 1 a day");
    expect(scale(html)).not.toContain("0 in all");
    expect(scale(html)).toContain("no finished jobs");
  });

  it("gives the busiest day and the total when jobs finished", async () => {
    const html = String(
      await JobChartView({
        chart: { days: [day("2026-11-26", 2, 1), day("2026-11-27", 1)], truncated: false },
      }),
    );
    expect(scale(html)).toContain("max 3 a day · 4 in all");
  });
});
