import { z } from "zod";
import { DAY, HOUR } from "../clock";
import { toSearchQuery } from "../db/store";
import { startOfDayInZone } from "../format";
import {
  JOB_STATUS_LABELS,
  JOB_STATUSES,
  JOB_TYPE_LABELS,
  JOB_TYPES,
  type JobStatus,
  type JobType,
} from "./vocabulary";

// The job list's query parameters, shared by the page and the API so that a filtered view's URL can be
// shared and the API asked the same question. One schema validates them all; every problem is reported
// against the field it belongs to.

export const SPANS = ["24h", "7d", "30d", "90d", "custom"] as const;
export type Span = (typeof SPANS)[number];
export const SPAN_LABELS: Record<Span, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  custom: "Custom",
};
/** A time filter in words: "Last 7 days", or the custom days ("2026-11-01 – …" when one end is open). */
export function timeSpanLabel(span: string, fromDay: string | null, toDay: string | null): string {
  if (span !== "custom" && SPANS.includes(span as Span)) return SPAN_LABELS[span as Span];
  if (fromDay || toDay) return `${fromDay || "…"} – ${toDay || "…"}`;
  return span ? "Custom" : "";
}

const SPAN_MS: Record<Exclude<Span, "custom">, number> = {
  "24h": 24 * HOUR,
  "7d": 7 * DAY,
  "30d": 30 * DAY,
  "90d": 90 * DAY,
};

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const ORDERS = ["newest", "oldest"] as const;
export type Order = (typeof ORDERS)[number];
/** What a list shows when its address names no page size or order. */
export const DEFAULT_PAGE_SIZE: PageSize = 50;
export const DEFAULT_ORDER: Order = "newest";

export const MAX_SEARCH_LENGTH = 200;

/**
 * A keyset position: list the rows after (or before) the row with this sort key. `pos` is that row's
 * place in the list, carried along only to show "51–100 of …"; the query never uses it.
 */
export type Cursor = { dir: "after" | "before"; key: number; pos: number };

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.dir === "after" ? "a" : "b"}${cursor.key}.${cursor.pos}`;
}

export function decodeCursor(text: string): Cursor | null {
  const m = /^([ab])(\d{1,16})\.(\d{1,9})$/.exec(text);
  if (!m) return null;
  const key = Number(m[2]);
  if (!Number.isSafeInteger(key)) return null;
  return { dir: m[1] === "a" ? "after" : "before", key, pos: Number(m[3]) };
}

export type QueryField =
  | "q"
  | "connector"
  | "status"
  | "type"
  | "span"
  | "from"
  | "to"
  | "size"
  | "order"
  | "cursor";
export const QUERY_FIELDS: readonly QueryField[] = [
  "q",
  "connector",
  "status",
  "type",
  "span",
  "from",
  "to",
  "size",
  "order",
  "cursor",
];
export type FieldErrors = Partial<Record<QueryField | "query", string>>;

/** The parameters as typed, kept to show the form again with the user's input. */
export type RawJobQuery = {
  q: string;
  connector: string[];
  status: string[];
  type: string[];
  span: string;
  from: string;
  to: string;
  size: string;
  order: string;
  cursor: string;
};

/** The validated query: what to list, before connector IDs are looked up. */
export type JobQuery = {
  q: string | null;
  search: string | null;
  connectorIds: string[];
  statuses: JobStatus[];
  types: JobType[];
  span: Span | null;
  fromDay: string | null;
  toDay: string | null;
  /** The time range on the jobs' start (or scheduled) time: [from, to), ISO-8601 UTC. */
  from: string | null;
  to: string | null;
  size: PageSize;
  order: Order;
  cursor: Cursor | null;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && y <= 2200 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const nextDay = (day: string) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() + DAY).toISOString().slice(0, 10);

const single = (field: QueryField) =>
  z
    .array(z.string())
    .max(1, { message: `Give “${field}” once.` })
    .transform((v) => (v[0] ?? "").trim());

const many = (field: QueryField) =>
  z
    .array(z.string())
    .max(100, { message: `At most 100 values for “${field}”.` })
    .transform((v) => [
      ...new Set(
        v
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ]);

const rawSchema = z.object({
  q: single("q").default(""),
  connector: many("connector").default([]),
  status: many("status").default([]),
  type: many("type").default([]),
  span: single("span").default(""),
  from: single("from").default(""),
  to: single("to").default(""),
  size: single("size").default(""),
  order: single("order").default(""),
  cursor: single("cursor").default(""),
});

export type ParseContext = {
  now: Date;
  /** Dates are days in this zone: the user's on the page, UTC in the API. */
  timeZone: string;
  /** The API refuses parameters it does not know; the page leaves them alone. */
  strict: boolean;
};

/** Validates the query parameters; `errors` is empty when the query can run. */
export function parseJobQuery(
  params: Record<string, string[]>,
  ctx: ParseContext,
): { raw: RawJobQuery; query: JobQuery; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (ctx.strict) {
    const unknown = Object.keys(params).filter((k) => !QUERY_FIELDS.includes(k as QueryField));
    if (unknown.length) errors.query = `Unknown parameter “${unknown[0]}”.`;
  }
  const parsed = rawSchema.safeParse(params);
  let raw: RawJobQuery;
  if (parsed.success) {
    raw = parsed.data;
  } else {
    for (const issue of parsed.error.issues) errors[issue.path[0] as QueryField] ??= issue.message;
    const first = (k: string) => (params[k]?.[0] ?? "").trim();
    raw = {
      q: first("q"),
      connector: params.connector ?? [],
      status: params.status ?? [],
      type: params.type ?? [],
      span: first("span"),
      from: first("from"),
      to: first("to"),
      size: first("size"),
      order: first("order"),
      cursor: first("cursor"),
    };
  }

  const query: JobQuery = {
    q: null,
    search: null,
    connectorIds: raw.connector,
    statuses: [],
    types: [],
    span: null,
    fromDay: null,
    toDay: null,
    from: null,
    to: null,
    size: DEFAULT_PAGE_SIZE,
    order: DEFAULT_ORDER,
    cursor: null,
  };

  if (raw.q) {
    if (raw.q.length > MAX_SEARCH_LENGTH)
      errors.q ??= `Search text can be at most ${MAX_SEARCH_LENGTH} characters.`;
    else {
      query.search = toSearchQuery(raw.q);
      if (query.search === null) errors.q ??= "Search needs at least one letter or digit.";
      else query.q = raw.q;
    }
  }
  for (const id of raw.connector) {
    if (id.length > 128) errors.connector ??= "A connector ID is at most 128 characters.";
  }
  for (const s of raw.status) {
    if (JOB_STATUSES.includes(s as JobStatus)) query.statuses.push(s as JobStatus);
    else
      errors.status ??= `Unknown status “${s.slice(0, 40)}”. Choose from: ${JOB_STATUSES.map((x) => JOB_STATUS_LABELS[x]).join(", ")}.`;
  }
  for (const t of raw.type) {
    if (JOB_TYPES.includes(t as JobType)) query.types.push(t as JobType);
    else
      errors.type ??= `Unknown job type “${t.slice(0, 40)}”. Choose from: ${JOB_TYPES.map((x) => JOB_TYPE_LABELS[x]).join(", ")}.`;
  }
  if (raw.size) {
    const size = Number(raw.size);
    if (PAGE_SIZES.includes(size as PageSize)) query.size = size as PageSize;
    else errors.size ??= "Rows a page must be 25, 50 or 100.";
  }
  if (raw.order) {
    if (ORDERS.includes(raw.order as Order)) query.order = raw.order as Order;
    else errors.order ??= "Order must be “newest” or “oldest”.";
  }
  if (raw.cursor) {
    query.cursor = decodeCursor(raw.cursor);
    if (!query.cursor) errors.cursor ??= "This page link is not valid. Start again from the first page.";
  }

  // Time: a preset span, or custom dates (either end may be open).
  if (raw.span && !SPANS.includes(raw.span as Span)) {
    errors.span ??= "Choose a time span from the list.";
  } else if (raw.span) {
    query.span = raw.span as Span;
  }
  const badDay = (value: string, which: string) =>
    DATE.test(value)
      ? `“${value}” is not a day of the calendar. Enter a real ${which} date.`
      : `Enter the ${which} date as YYYY-MM-DD (“${value.slice(0, 20)}” is not).`;
  if (raw.from && !validDay(raw.from)) errors.from ??= badDay(raw.from, "start");
  if (raw.to && !validDay(raw.to)) errors.to ??= badDay(raw.to, "end");
  if (!errors.from && !errors.to && raw.from && raw.to && raw.to < raw.from) {
    errors.to ??= "The end date is before the start date.";
  }
  const hasDates = Boolean(raw.from || raw.to);
  if (query.span && query.span !== "custom" && hasDates) {
    errors.span ??= "Choose “Custom” to filter by dates, or clear the dates.";
  }
  if (query.span === "custom" && !hasDates) {
    errors.span ??= "With “Custom”, enter a start date, an end date, or both.";
  }
  if (!errors.span && !errors.from && !errors.to) {
    if (query.span && query.span !== "custom") {
      query.from = new Date(ctx.now.getTime() - SPAN_MS[query.span]).toISOString();
    } else if (hasDates) {
      query.span = "custom";
      query.fromDay = raw.from || null;
      query.toDay = raw.to || null;
      if (raw.from) query.from = startOfDayInZone(raw.from, ctx.timeZone).toISOString();
      if (raw.to) query.to = startOfDayInZone(nextDay(raw.to), ctx.timeZone).toISOString();
    }
  }
  return { raw, query, errors };
}

/** The query string for a job list: what the page links carry and the API accepts. */
export function jobQueryString(
  q: Pick<
    JobQuery,
    "q" | "connectorIds" | "statuses" | "types" | "span" | "fromDay" | "toDay" | "size" | "order"
  >,
  extra: { cursor?: Cursor | null } = {},
): string {
  const p = new URLSearchParams();
  if (q.q) p.set("q", q.q);
  for (const c of q.connectorIds) p.append("connector", c);
  for (const s of q.statuses) p.append("status", s);
  for (const t of q.types) p.append("type", t);
  if (q.span) p.set("span", q.span);
  if (q.span === "custom") {
    if (q.fromDay) p.set("from", q.fromDay);
    if (q.toDay) p.set("to", q.toDay);
  }
  if (q.size !== DEFAULT_PAGE_SIZE) p.set("size", String(q.size));
  if (q.order !== DEFAULT_ORDER) p.set("order", q.order);
  if (extra.cursor) p.set("cursor", encodeCursor(extra.cursor));
  const s = p.toString();
  return s ? `?${s}` : "";
}
