import { describe, expect, it } from "vitest";
import {
  type Cursor,
  decodeCursor,
  encodeCursor,
  type JobQuery,
  jobQueryString,
  MAX_SEARCH_LENGTH,
  type ParseContext,
  parseJobQuery,
  timeSpanLabel,
} from "./job-query";

const NOW = new Date("2026-11-27T12:34:56.789Z");
const API: ParseContext = { now: NOW, timeZone: "UTC", strict: true };
const PAGE: ParseContext = { now: NOW, timeZone: "Europe/Copenhagen", strict: false };

const parse = (params: Record<string, string[]>, ctx: ParseContext = API) => parseJobQuery(params, ctx);

const DEFAULT_QUERY: JobQuery = {
  q: null,
  search: null,
  connectorIds: [],
  statuses: [],
  types: [],
  span: null,
  fromDay: null,
  toDay: null,
  from: null,
  to: null,
  size: 50,
  order: "newest",
  cursor: null,
};

const STATUS_CHOICES =
  "Choose from: Scheduled, In progress, Successful, Incomplete, Unsuccessful, Cancelled.";
const TYPE_CHOICES = "Choose from: Backup, Restore, Item restore, PST download, ZIP download.";
/** The message for a start or end date that is not a day: real-looking ones and others differ. */
const badDay = (value: string, which: "start" | "end") =>
  /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `“${value}” is not a day of the calendar. Enter a real ${which} date.`
    : `Enter the ${which} date as YYYY-MM-DD (“${value}” is not).`;

/** Parses a URL query string the way the page and the API receive it. */
function paramsOf(search: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) out[key] = [...(out[key] ?? []), value];
  return out;
}

describe("a job list query without parameters", () => {
  it("lists all jobs of all time, newest first, 50 a page", () => {
    expect(parse({})).toEqual({
      raw: {
        q: "",
        connector: [],
        status: [],
        type: [],
        span: "",
        from: "",
        to: "",
        size: "",
        order: "",
        cursor: "",
      },
      query: DEFAULT_QUERY,
      errors: {},
    });
  });

  it("treats empty form fields as not given", () => {
    const { query, errors } = parse({
      q: [""],
      connector: [""],
      status: [""],
      type: [""],
      span: [""],
      from: [""],
      to: [""],
      size: [""],
      order: [""],
      cursor: [""],
    });
    expect(errors).toEqual({});
    expect(query).toEqual(DEFAULT_QUERY);
  });
});

describe("free-text search", () => {
  it("searches for the words typed, the last one as a prefix", () => {
    const { query, errors } = parse({ q: ["  mailbox anna  "] });
    expect(errors).toEqual({});
    expect(query.q).toBe("mailbox anna");
    expect(query.search).toBe('"mailbox" "anna"*');
  });

  it("treats blank search text as no search", () => {
    const { query, errors } = parse({ q: ["    "] });
    expect(errors).toEqual({});
    expect(query.q).toBeNull();
    expect(query.search).toBeNull();
  });

  it("refuses search text with no letter or digit, next to the search field", () => {
    const { query, errors } = parse({ q: ["--- !!"] });
    expect(errors).toEqual({ q: "Search needs at least one letter or digit." });
    expect(query.q).toBeNull();
    expect(query.search).toBeNull();
  });

  it(`accepts search text of ${MAX_SEARCH_LENGTH} characters`, () => {
    const { query, errors } = parse({ q: ["a".repeat(MAX_SEARCH_LENGTH)] });
    expect(errors).toEqual({});
    expect(query.q).toHaveLength(MAX_SEARCH_LENGTH);
  });

  it("refuses over-long search text, next to the search field", () => {
    const { query, errors } = parse({ q: ["a".repeat(MAX_SEARCH_LENGTH + 1)] });
    expect(errors).toEqual({ q: "Search text can be at most 200 characters." });
    expect(query.q).toBeNull();
  });

  it("refuses search text given twice", () => {
    expect(parse({ q: ["a", "b"] }).errors).toEqual({ q: "Give “q” once." });
  });
});

describe("connector, status and type filters", () => {
  it("takes connectors repeated or comma-separated, trimmed and without duplicates", () => {
    const { query, errors } = parse({ connector: ["m365-main, sf-prod", "m365-main", " zendesk "] });
    expect(errors).toEqual({});
    expect(query.connectorIds).toEqual(["m365-main", "sf-prod", "zendesk"]);
  });

  it("refuses a connector ID longer than 128 characters, next to the connector field", () => {
    expect(parse({ connector: ["x".repeat(129)] }).errors).toEqual({
      connector: "A connector ID is at most 128 characters.",
    });
    expect(parse({ connector: ["x".repeat(128)] }).errors).toEqual({});
  });

  it("refuses more than 100 connector values", () => {
    expect(parse({ connector: Array.from({ length: 101 }, (_, i) => `c${i}`) }).errors).toEqual({
      connector: "At most 100 values for “connector”.",
    });
  });

  it("takes every status, repeated or comma-separated", () => {
    const { query, errors } = parse({
      status: ["scheduled,in_progress", "successful", "incomplete", "unsuccessful,cancelled"],
    });
    expect(errors).toEqual({});
    expect(query.statuses).toEqual([
      "scheduled",
      "in_progress",
      "successful",
      "incomplete",
      "unsuccessful",
      "cancelled",
    ]);
  });

  it("refuses an unknown status and names the valid ones, next to the status field", () => {
    const { query, errors } = parse({ status: ["successful", "failed"] });
    expect(errors).toEqual({ status: `Unknown status “failed”. ${STATUS_CHOICES}` });
    expect(query.statuses).toEqual(["successful"]);
  });

  it("refuses the status labels the page shows: the URL carries the codes", () => {
    expect(parse({ status: ["In progress"] }).errors).toEqual({
      status: `Unknown status “In progress”. ${STATUS_CHOICES}`,
    });
  });

  it("cuts a very long unknown value short in the message", () => {
    expect(parse({ status: ["z".repeat(500)] }).errors.status).toBe(
      `Unknown status “${"z".repeat(40)}”. ${STATUS_CHOICES}`,
    );
  });

  it("takes every job type", () => {
    const { query, errors } = parse({
      type: ["backup,restore,item_restore", "pst_download", "zip_download"],
    });
    expect(errors).toEqual({});
    expect(query.types).toEqual(["backup", "restore", "item_restore", "pst_download", "zip_download"]);
  });

  it("keeps restores and item restores apart", () => {
    expect(parse({ type: ["restore"] }).query.types).toEqual(["restore"]);
  });

  it("refuses an unknown job type and names the valid ones, next to the type field", () => {
    expect(parse({ type: ["import"] }).errors).toEqual({
      type: `Unknown job type “import”. ${TYPE_CHOICES}`,
    });
  });
});

describe("page size, order and cursor", () => {
  it.each([
    ["25", 25],
    ["50", 50],
    ["100", 100],
  ] as const)("takes %s rows a page", (size, expected) => {
    const { query, errors } = parse({ size: [size] });
    expect(errors).toEqual({});
    expect(query.size).toBe(expected);
  });

  it.each(["10", "0", "-25", "abc", "1000"])("refuses %s rows a page, next to the size field", (size) => {
    const { query, errors } = parse({ size: [size] });
    expect(errors).toEqual({ size: "Rows a page must be 25, 50 or 100." });
    expect(query.size).toBe(50);
  });

  it("takes oldest-first and newest-first order", () => {
    expect(parse({ order: ["oldest"] }).query.order).toBe("oldest");
    expect(parse({ order: ["newest"] }).query.order).toBe("newest");
  });

  it("refuses an unknown order, next to the order field", () => {
    expect(parse({ order: ["random"] }).errors).toEqual({ order: "Order must be “newest” or “oldest”." });
  });

  it("reads back every cursor it wrote", () => {
    const cursors: Cursor[] = [
      { dir: "after", key: 1_889_000_000_000_042, pos: 50 },
      { dir: "before", key: 0, pos: 0 },
      { dir: "after", key: Number.MAX_SAFE_INTEGER, pos: 123_456 },
    ];
    for (const cursor of cursors) {
      const text = encodeCursor(cursor);
      expect(decodeCursor(text)).toEqual(cursor);
      const { query, errors } = parse({ cursor: [text] });
      expect(errors).toEqual({});
      expect(query.cursor).toEqual(cursor);
    }
  });

  it.each([
    "garbage",
    "a.1.2.3.4",
    "c.1795773600000.42",
    "a.-1.42",
    "a.1795773600000.",
    "a..42",
    "a.1795773600000.4x2",
  ])("refuses the made-up cursor %s, next to the cursor field", (text) => {
    expect(decodeCursor(text)).toBeNull();
    expect(parse({ cursor: [text] }).errors).toEqual({
      cursor: "This page link is not valid. Start again from the first page.",
    });
  });

  it("refuses a cursor beyond the last date JavaScript can hold", () => {
    expect(decodeCursor("a.9000000000000000.1")).toBeNull();
  });
});

describe("time span presets", () => {
  it.each([
    ["24h", "2026-11-26T12:34:56.789Z"],
    ["7d", "2026-11-20T12:34:56.789Z"],
    ["30d", "2026-10-28T12:34:56.789Z"],
    ["90d", "2026-08-29T12:34:56.789Z"],
  ])("lists the jobs of the last %s counted back from now", (span, from) => {
    const { query, errors } = parse({ span: [span] });
    expect(errors).toEqual({});
    expect(query.span).toBe(span);
    expect(query.from).toBe(from);
    expect(query.to).toBeNull();
    expect(query.fromDay).toBeNull();
    expect(query.toDay).toBeNull();
  });

  it("counts a preset back from the injected now, whatever the user's time zone", () => {
    expect(parse({ span: ["24h"] }, { ...PAGE, now: new Date("2026-03-29T01:30:00.000Z") }).query.from).toBe(
      "2026-03-28T01:30:00.000Z",
    );
  });

  it("refuses an unknown span, next to the span field", () => {
    const { query, errors } = parse({ span: ["1y"] });
    expect(errors).toEqual({ span: "Choose a time span from the list." });
    expect(query.span).toBeNull();
    expect(query.from).toBeNull();
  });

  it("refuses a preset span together with dates, next to the span field", () => {
    const { query, errors } = parse({ span: ["7d"], from: ["2026-11-01"] });
    expect(errors).toEqual({ span: "Choose “Custom” to filter by dates, or clear the dates." });
    expect(query.from).toBeNull();
    expect(query.to).toBeNull();
  });

  it("refuses a custom span without dates, next to the span field", () => {
    const { query, errors } = parse({ span: ["custom"] });
    expect(errors).toEqual({ span: "With “Custom”, enter a start date, an end date, or both." });
    expect(query.from).toBeNull();
  });
});

describe("custom dates", () => {
  it("covers whole UTC days in the API, the end date included", () => {
    const { query, errors } = parse({ span: ["custom"], from: ["2026-11-01"], to: ["2026-11-27"] });
    expect(errors).toEqual({});
    expect(query).toMatchObject({
      span: "custom",
      fromDay: "2026-11-01",
      toDay: "2026-11-27",
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-28T00:00:00.000Z",
    });
  });

  it("covers whole days in the user's time zone on the page", () => {
    const { query, errors } = parse({ span: ["custom"], from: ["2026-11-01"], to: ["2026-11-27"] }, PAGE);
    expect(errors).toEqual({});
    expect(query.from).toBe("2026-10-31T23:00:00.000Z");
    expect(query.to).toBe("2026-11-27T23:00:00.000Z");
  });

  it("covers the short spring-forward day in Copenhagen", () => {
    const { query } = parse({ from: ["2026-03-29"], to: ["2026-03-29"] }, PAGE);
    expect(query.from).toBe("2026-03-28T23:00:00.000Z");
    expect(query.to).toBe("2026-03-29T22:00:00.000Z");
  });

  it("covers the long fall-back day in New York", () => {
    const { query } = parse(
      { from: ["2026-11-01"], to: ["2026-11-01"] },
      { ...PAGE, timeZone: "America/New_York" },
    );
    expect(query.from).toBe("2026-11-01T04:00:00.000Z");
    expect(query.to).toBe("2026-11-02T05:00:00.000Z");
  });

  it("takes dates without a span as a custom span", () => {
    const { query, errors } = parse({ from: ["2026-11-01"], to: ["2026-11-02"] });
    expect(errors).toEqual({});
    expect(query.span).toBe("custom");
  });

  it("leaves the end open when only a start date is given", () => {
    const { query } = parse({ from: ["2026-11-01"] });
    expect(query).toMatchObject({
      fromDay: "2026-11-01",
      toDay: null,
      from: "2026-11-01T00:00:00.000Z",
      to: null,
    });
  });

  it("leaves the start open when only an end date is given", () => {
    const { query } = parse({ to: ["2026-11-01"] });
    expect(query).toMatchObject({
      fromDay: null,
      toDay: "2026-11-01",
      from: null,
      to: "2026-11-02T00:00:00.000Z",
    });
  });

  it("accepts a start and end on the same day", () => {
    expect(parse({ from: ["2026-11-27"], to: ["2026-11-27"] }).errors).toEqual({});
  });

  it("refuses an end date before the start date, next to the end date", () => {
    const { query, errors } = parse({ from: ["2026-11-27"], to: ["2026-11-26"] });
    expect(errors).toEqual({ to: "The end date is before the start date." });
    expect(query.from).toBeNull();
    expect(query.to).toBeNull();
  });

  it.each([
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-11-1",
    "26-11-01",
    "2026/11/01",
    "27.11.2026",
    "1969-12-31",
    "yesterday",
  ])("refuses the start date %s, next to the start date", (day) => {
    const { query, errors } = parse({ from: [day] });
    expect(errors).toEqual({ from: badDay(day, "start") });
    expect(query.from).toBeNull();
  });

  it("refuses a bad end date next to the end date", () => {
    expect(parse({ from: ["2026-11-01"], to: ["2026-11-31"] }).errors).toEqual({
      to: badDay("2026-11-31", "end"),
    });
  });

  it("accepts a leap day only in a leap year", () => {
    expect(parse({ from: ["2028-02-29"] }).errors).toEqual({});
    expect(parse({ from: ["2026-02-29"] }).errors).toEqual({ from: badDay("2026-02-29", "start") });
  });

  it("keeps what the user typed, to show the form again", () => {
    const { raw } = parse({ span: ["custom"], from: [" 2026-11-31 "], to: ["2026-12-01"], q: [" anna "] });
    expect(raw).toMatchObject({ span: "custom", from: "2026-11-31", to: "2026-12-01", q: "anna" });
  });
});

describe("errors land on the field they belong to", () => {
  it("reports every wrong field at once, each with its own message", () => {
    const { errors } = parse({
      q: ["!!!"],
      status: ["done"],
      type: ["import"],
      size: ["7"],
      order: ["sideways"],
      cursor: ["nope"],
      span: ["forever"],
      from: ["2026-02-30"],
      to: ["tomorrow"],
    });
    expect(errors).toEqual({
      q: "Search needs at least one letter or digit.",
      status: `Unknown status “done”. ${STATUS_CHOICES}`,
      type: `Unknown job type “import”. ${TYPE_CHOICES}`,
      size: "Rows a page must be 25, 50 or 100.",
      order: "Order must be “newest” or “oldest”.",
      cursor: "This page link is not valid. Start again from the first page.",
      span: "Choose a time span from the list.",
      from: badDay("2026-02-30", "start"),
      to: badDay("tomorrow", "end"),
    });
  });

  it("refuses a single-valued parameter given twice, next to that field", () => {
    expect(parse({ span: ["7d", "30d"] }).errors).toEqual({ span: "Give “span” once." });
    expect(parse({ size: ["25", "50"] }).errors).toEqual({ size: "Give “size” once." });
  });
});

describe("strict mode for the API", () => {
  it("refuses a parameter it does not know", () => {
    expect(parse({ page: ["2"] }, API).errors).toEqual({ query: "Unknown parameter “page”." });
  });

  it("leaves unknown parameters alone on the page", () => {
    expect(parse({ page: ["2"], utm_source: ["mail"] }, PAGE).errors).toEqual({});
  });

  it("knows every parameter of PRODUCT.md §4", () => {
    const { errors } = parse(
      {
        q: ["x"],
        connector: ["c"],
        status: ["successful"],
        type: ["backup"],
        span: ["custom"],
        from: ["2026-11-01"],
        to: ["2026-11-02"],
        size: ["25"],
        cursor: [encodeCursor({ dir: "after", key: 1_700_000_000_001, pos: 25 })],
        order: ["oldest"],
      },
      API,
    );
    expect(errors).toEqual({});
  });
});

describe("the query string of a job list", () => {
  it("is empty for the default list", () => {
    expect(jobQueryString(DEFAULT_QUERY)).toBe("");
  });

  it("carries every filter that differs from the default", () => {
    expect(
      jobQueryString({
        ...DEFAULT_QUERY,
        q: "anna mailbox",
        connectorIds: ["m365", "sf"],
        statuses: ["incomplete", "unsuccessful"],
        types: ["restore"],
        span: "custom",
        fromDay: "2026-11-01",
        toDay: "2026-11-27",
        size: 100,
        order: "oldest",
      }),
    ).toBe(
      "?q=anna+mailbox&connector=m365&connector=sf&status=incomplete&status=unsuccessful&type=restore&span=custom&from=2026-11-01&to=2026-11-27&size=100&order=oldest",
    );
  });

  it("does not carry dates with a preset span", () => {
    expect(jobQueryString({ ...DEFAULT_QUERY, span: "7d", fromDay: "2026-11-01", toDay: "2026-11-02" })).toBe(
      "?span=7d",
    );
  });

  it("carries the cursor of the next page", () => {
    const cursor: Cursor = { dir: "after", key: 1_889_000_000_000_042, pos: 50 };
    expect(jobQueryString(DEFAULT_QUERY, { cursor })).toBe(
      `?cursor=${encodeURIComponent(encodeCursor(cursor))}`,
    );
  });

  it("reads back as the same query, so a shared link shows the same list", () => {
    const cursor: Cursor = { dir: "before", key: 1_888_000_000_000_007, pos: 100 };
    const original = parse(
      {
        q: ["bk-2026-0001 anna"],
        connector: ["m365,sf"],
        status: ["incomplete"],
        type: ["restore", "item_restore"],
        from: ["2026-11-01"],
        to: ["2026-11-27"],
        size: ["25"],
        order: ["oldest"],
        cursor: [encodeCursor(cursor)],
      },
      PAGE,
    );
    expect(original.errors).toEqual({});
    const again = parse(paramsOf(jobQueryString(original.query, { cursor: original.query.cursor })), PAGE);
    expect(again.errors).toEqual({});
    expect(again.query).toEqual(original.query);
  });

  it("reads back a preset span relative to now", () => {
    const original = parse({ span: ["30d"], status: ["cancelled"] });
    expect(parse(paramsOf(jobQueryString(original.query))).query).toEqual(original.query);
  });
});

describe("a time filter in words (the Time menu's button and the filter chip)", () => {
  it("names a preset span, custom days with an open end, and nothing when there is no span", () => {
    expect(timeSpanLabel("7d", null, null)).toBe("Last 7 days");
    expect(timeSpanLabel("custom", "2026-11-01", null)).toBe("2026-11-01 – …");
    expect(timeSpanLabel("custom", null, "2026-11-30")).toBe("… – 2026-11-30");
    expect(timeSpanLabel("", "", "")).toBe("");
  });
});
