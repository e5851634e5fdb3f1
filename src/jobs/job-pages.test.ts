import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../clock";
import { createJob, type Engine, putConnector, Stream } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// The Job Monitor page over HTTP (issue 3): the table's semantics, fragments versus full pages, every
// validation error as a 400 with the message at its field and the input kept, the per-connector view,
// keyset paging through real URLs, and the "N new jobs" notice.

const START = "2026-11-27T06:00:00.000Z";

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  await putConnector(engine, "c2", { name: "Fabrikam Salesforce", kind: "salesforce" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

/** Start times of the jobs made so far: one minute apart, from 06:00 on the test day, before "now". */
let started = 0;
beforeEach(() => {
  started = 0;
});

/** Creates jobs started one minute apart (later calls start later); returns their IDs oldest first. */
async function jobs(n: number, connectorId = "c1", prefix = "j") {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    started += 1;
    const id = `${prefix}${String(i).padStart(3, "0")}`;
    await createJob(engine, { id, connectorId, description: `Backup number ${i}` });
    await new Stream(engine, id).started(new Date(Date.parse(START) + started * MINUTE).toISOString());
    ids.push(id);
  }
  return ids;
}

/** The job IDs of the table's rows, in order. */
const rowIds = (html: string) =>
  [...html.matchAll(/<tr id="job-\d+"[^>]*data-job-id="([^"]+)"/g)].map((m) => m[1]!);

/** The text of the message under a field (empty when none). */
function fieldError(html: string, field: string): string {
  const m = new RegExp(`<p id="error-${field}"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  expect(m, `error-${field} element`).not.toBeNull();
  return m![1]!.replace(/<[^>]+>/g, "").trim();
}

const decode = (s: string) => s.replaceAll("&amp;", "&");

describe("/jobs", () => {
  it("renders the table with a caption, column headers with scope and a visible total", async () => {
    await jobs(3);
    const res = await user.get("/jobs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(
      /<table class="jobs">\s*<caption[^>]*>Jobs, newest first\. 1–3 of 3 jobs\.<\/caption>/,
    );
    for (const col of ["Status", "Type", "Connector", "Description", "Started", "Duration"]) {
      expect(html).toContain(`<th scope="col">${col}</th>`);
    }
    expect(html).toContain("1–3 of 3 jobs");
    expect(rowIds(html)).toEqual(["j002", "j001", "j000"]);
    expect(html).toContain('<label for="q" class="visually-hidden">Search</label>');
    expect(html).toContain("Apply filters");
    expect(html).toContain("Clear filters");
  });

  it("marks problem rows in text, not colour alone", async () => {
    await createJob(engine, { id: "bad", connectorId: "c1" });
    const s = new Stream(engine, "bad");
    await s.started();
    await s.finished({ outcome: "failed", reason: "authentication_failed" });
    const html = await (await user.get("/jobs")).text();
    expect(html).toMatch(/<tr id="job-\d+" data-job-id="bad" class="job-row problem"/);
    expect(html).toContain("(needs attention)");
  });

  it("answers htmx aimed at the results with the results fragment only, and says it varies", async () => {
    await jobs(2);
    const full = await user.get("/jobs?status=in_progress");
    const fragment = await user.get("/jobs?status=in_progress", { htmx: { target: "results" } });
    expect(full.status).toBe(200);
    expect(fragment.status).toBe(200);
    expect(full.headers.get("vary")).toContain("HX-Request");
    expect(fragment.headers.get("vary")).toContain("HX-Request");
    const page = await full.text();
    const part = await fragment.text();
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(part).not.toContain("<html");
    expect(part).not.toContain('<form id="filters"');
    expect(part.startsWith('<section id="results"')).toBe(true);
    expect(part).toContain('id="announce"');
    expect(part).toContain("2 jobs found.");
    expect(rowIds(part)).toEqual(rowIds(page));
  });

  it("is a full page for htmx requests aimed elsewhere and for history restores", async () => {
    await jobs(1);
    const other = await user.get("/jobs", { htmx: { target: "main" } });
    expect(await other.text()).toMatch(/^<!doctype html>/);
    const restore = await user.get("/jobs", {
      htmx: { target: "results" },
      headers: { "HX-History-Restore-Request": "true" },
    });
    expect(await restore.text()).toMatch(/^<!doctype html>/);
  });

  it("shows an empty state that says what to change", async () => {
    await jobs(1);
    const html = await (await user.get("/jobs?status=cancelled")).text();
    expect(html).toContain("No jobs match these filters");
    expect(html).toContain("Clear filters");
  });

  it("counts each status for the filter, each count a link that filters", async () => {
    await jobs(2);
    await createJob(engine, { id: "sched", connectorId: "c1" });
    const html = await (await user.get("/jobs?type=backup")).text();
    expect(html).toContain('aria-label="In progress: 2 jobs. Show only these."');
    expect(html).toContain('aria-label="Scheduled: 1 jobs. Show only these."');
    expect(html).toMatch(
      /href="\/jobs\?status=in_progress&type=backup"|href="\/jobs\?type=backup&status=in_progress"/,
    );
  });
});

describe("validation", () => {
  const cases: [string, string, string, string | null][] = [
    // [query, field, message, input kept as]
    [
      "from=2026-13-01",
      "from",
      "“2026-13-01” is not a day of the calendar. Enter a real start date.",
      'id="from" name="from" value="2026-13-01"',
    ],
    [
      "from=yesterday",
      "from",
      "Enter the start date as YYYY-MM-DD (“yesterday” is not).",
      'value="yesterday"',
    ],
    [
      "to=2026-02-30",
      "to",
      "“2026-02-30” is not a day of the calendar. Enter a real end date.",
      'id="to" name="to" value="2026-02-30"',
    ],
    [
      "from=2026-11-20&to=2026-11-10",
      "to",
      "The end date is before the start date.",
      'id="to" name="to" value="2026-11-10"',
    ],
    [
      "status=bogus",
      "status",
      "Unknown status “bogus”.",
      '<input type="checkbox" name="status" value="bogus" checked/>Unknown: bogus',
    ],
    [
      "type=tape",
      "type",
      "Unknown job type “tape”.",
      '<input type="checkbox" name="type" value="tape" checked/>Unknown: tape',
    ],
    [
      "connector=nope",
      "connector",
      "There is no connector “nope”.",
      '<input type="checkbox" name="connector" value="nope" checked/>Unknown: nope',
    ],
    [`q=${"x".repeat(201)}`, "q", "Search text can be at most 200 characters.", `value="${"x".repeat(201)}"`],
    ["q=%21%21%21", "q", "Search needs at least one letter or digit.", 'value="!!!"'],
    ["q=a&q=b", "q", "Give “q” once.", null],
    ["size=30", "size", "Rows a page must be 25, 50 or 100.", '<option value="30" selected>30</option>'],
    ["size=-1", "size", "Rows a page must be 25, 50 or 100.", null],
    ["order=sideways", "order", "Order must be “newest” or “oldest”.", null],
    ["cursor=garbage", "cursor", "This page link is not valid.", null],
    [
      "span=week",
      "span",
      "Choose a time span from the list.",
      '<input type="radio" name="span" value="week" checked/>Unknown: week',
    ],
    ["span=7d&from=2026-11-01", "span", "Choose “Custom” to filter by dates, or clear the dates.", null],
    ["span=custom", "span", "With “Custom”, enter a start date, an end date, or both.", null],
  ];

  it.each(cases)(
    "%s → 400 with the message at “%s” and the input kept",
    async (query, field, message, kept) => {
      const res = await user.get(`/jobs?${query}`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(fieldError(html, field)).toContain(message);
      // The field says it is invalid and points at its message (the page link has no field of its own).
      if (field !== "cursor") {
        expect(html).toMatch(new RegExp(`aria-describedby="error-${field}[^"]*" aria-invalid="true"`));
      }
      if (kept) expect(html).toContain(kept);
      // The summary above the results names the field too, and nothing is listed.
      expect(html).toContain('class="error-summary" role="alert"');
      expect(html).not.toContain('<table class="jobs">');

      const fragment = await user.get(`/jobs?${query}`, { htmx: { target: "results" } });
      expect(fragment.status).toBe(400);
      const part = await fragment.text();
      expect(part).toMatch(new RegExp(`<p id="error-${field}"[^>]*data-invalid="true" hx-swap-oob="true"`));
      expect(part).toContain("Some filters need fixing.");
    },
  );

  it("never answers 500 to odd input", async () => {
    const odd = [
      "from=0000-00-00",
      "to=9999-12-31",
      "size=1e3",
      "cursor=a.99999999999999999.1.1",
      "cursor=b.-1.1",
      `connector=${"c".repeat(300)}`,
      "status=",
      "q=%00",
      "q=%22%27%3C%3E",
      "order=",
      "span=%00",
      "from=2026-11-01&to=2026-11-01&span=custom",
    ];
    for (const q of odd) {
      const res = await user.get(`/jobs?${q}`);
      expect([200, 400], q).toContain(res.status);
    }
  });

  it("also checks the CSV download's filters", async () => {
    const res = await user.get("/jobs.csv?status=bogus");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown status “bogus”.");
  });
});

describe("/connectors/:id/jobs", () => {
  it("is the same page with the connector preset and its name in the heading", async () => {
    await jobs(2, "c1", "a");
    await jobs(2, "c2", "b");
    const res = await user.get("/connectors/c2/jobs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Fabrikam Salesforce</h1>");
    expect(rowIds(html)).toEqual(["b001", "b000"]);
    // The connector is also what the page means when its query names none: app.js keeps it chosen
    // when it makes the form say what the address says (after Back or Forward, say).
    expect(html).toContain(
      '<input type="checkbox" name="connector" value="c2" checked data-default/>Fabrikam Salesforce',
    );
    const chosenOnList = await (await user.get("/jobs?connector=c2")).text();
    expect(chosenOnList).toContain(
      '<input type="checkbox" name="connector" value="c2" checked/>Fabrikam Salesforce',
    );
  });

  it("gives the fields with a default their default for app.js", async () => {
    const html = await (await user.get("/jobs")).text();
    expect(html).toMatch(/<select id="size" name="size" data-default="50"/);
    expect(html).toMatch(/<select id="order" name="order" data-default="newest"/);
  });

  it("answers 404 for an unknown connector", async () => {
    const res = await user.get("/connectors/nope/jobs");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Connector not found");
  });
});

describe("keyset paging", () => {
  it("walks forward and back through real URLs, with no duplicates and no gaps while jobs arrive", async () => {
    const all = await jobs(60);
    const seen: string[] = [];
    const first = await (await user.get("/jobs?size=25")).text();
    seen.push(...rowIds(first));
    expect(seen).toHaveLength(25);
    expect(first).toContain("1–25 of 60 jobs");
    expect(first).not.toMatch(/rel="prev"/);

    // A new job arrives between pages: it must not shift the next page.
    await jobs(1, "c1", "new");
    let next = /<a class="button" rel="next" href="([^"]+)"/.exec(first)![1]!;
    expect(decode(next)).toMatch(/^\/jobs\?size=25&cursor=[A-Za-z0-9._~%-]+$/);
    const second = await (await user.get(decode(next))).text();
    expect(second).toMatch(/^<!doctype html>/);
    expect(second).toContain("26–50 of 61 jobs");
    seen.push(...rowIds(second));
    next = /<a class="button" rel="next" href="([^"]+)"/.exec(second)![1]!;
    const third = await (await user.get(decode(next))).text();
    seen.push(...rowIds(third));
    expect(third).not.toMatch(/rel="next" href/);

    expect(seen).toEqual([...all].reverse());
    expect(new Set(seen).size).toBe(60);

    // Back from the third page lands on the second page's rows.
    const prev = /<a class="button" rel="prev" href="([^"]+)"/.exec(third)![1]!;
    expect(decode(prev)).toMatch(/^\/jobs\?size=25&cursor=[A-Za-z0-9._~%-]+$/);
    expect(prev).not.toBe(next);
    const back = await (await user.get(decode(prev))).text();
    expect(rowIds(back)).toEqual(rowIds(second));
  });

  it("keeps the filters in the paging links and can list oldest first", async () => {
    await jobs(30, "c1", "a");
    await jobs(30, "c2", "b");
    const html = await (await user.get("/jobs?connector=c2&size=25&order=oldest")).text();
    expect(rowIds(html)[0]).toBe("b000");
    const next = decode(/<a class="button" rel="next" href="([^"]+)"/.exec(html)![1]!);
    expect(next).toMatch(/^\/jobs\?connector=c2&size=25&order=oldest&cursor=/);
    const page2 = await (await user.get(next)).text();
    expect(rowIds(page2)).toEqual(["b025", "b026", "b027", "b028", "b029"]);
  });
});

describe("the new-jobs notice", () => {
  it("counts jobs created after `since` that match the filter", async () => {
    await jobs(3);
    const page = await (await user.get("/jobs?connector=c1")).text();
    const poll = decode(/<div id="new-jobs"[^>]*hx-get="([^"]+)"/.exec(page)![1]!);
    expect(poll).toMatch(/^\/new-jobs\?connector=c1&since=\d+$/);

    const none = await user.get(poll, { htmx: true, headers: { "X-Background": "1" } });
    expect(none.status).toBe(200);
    expect(await none.text()).not.toContain("new job");

    await jobs(2, "c1", "n");
    await jobs(1, "c2", "other");
    const res = await user.get(poll, { htmx: true, headers: { "X-Background": "1" } });
    const html = await res.text();
    expect(html).toContain("2 new jobs");
    expect(html).toContain('href="/jobs?connector=c1"');
    // The notice polls on from the same point until the user looks.
    expect(decode(html)).toContain(`hx-get="${poll}"`);
  });

  it("opened directly, it shows the Job Monitor; a bad `since` is a 400", async () => {
    const direct = await user.get("/new-jobs?since=3&status=scheduled");
    expect(direct.status).toBe(302);
    expect(direct.headers.get("location")).toBe("/jobs?status=scheduled");
    const bad = await user.get("/new-jobs?since=abc", { htmx: true });
    expect(bad.status).toBe(400);
  });
});
