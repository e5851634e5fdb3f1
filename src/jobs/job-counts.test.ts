import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE } from "../clock";
import { type RangeParts, splitRange, type TimeRange } from "./job-counts";

// splitRange decides which jobs the status summary counts from day buckets, hour buckets and the jobs
// table itself. If its pieces overlap, jobs are counted twice; if they leave a gap, jobs go missing.

type Piece = { kind: "days" | "hours" | "raw"; lo: number; hi: number };

const ms = (iso: string | null, open: number) => (iso === null ? open : Date.parse(iso));
const iso = (t: number) => new Date(t).toISOString();

function pieces(parts: RangeParts): Piece[] {
  const list: Piece[] = [];
  if (parts.days)
    list.push({ kind: "days", lo: ms(parts.days.from, -Infinity), hi: ms(parts.days.to, Infinity) });
  for (const h of parts.hours)
    list.push({ kind: "hours", lo: ms(h.from, -Infinity), hi: ms(h.to, Infinity) });
  for (const r of parts.raw) list.push({ kind: "raw", lo: ms(r.from, -Infinity), hi: ms(r.to, Infinity) });
  return list.sort((a, b) => a.lo - b.lo);
}

/** Checks that the pieces cover [from, to) exactly once, and that each piece fits its kind of bucket. */
function expectTiles(range: TimeRange): Piece[] {
  const parts = splitRange(range);
  const list = pieces(parts);
  const lo = ms(range.from, -Infinity);
  const hi = ms(range.to, Infinity);
  const label = JSON.stringify(range);
  if (lo >= hi) {
    expect(list, label).toEqual([]);
    return list;
  }
  expect(list.length, label).toBeGreaterThan(0);
  expect(list[0]!.lo, label).toBe(lo);
  expect(list.at(-1)!.hi, label).toBe(hi);
  for (let i = 0; i < list.length; i++) {
    const piece = list[i]!;
    expect(piece.lo, label).toBeLessThan(piece.hi);
    if (i > 0) expect(piece.lo, `${label}: no gap and no overlap`).toBe(list[i - 1]!.hi);
    if (piece.kind === "days") {
      if (Number.isFinite(piece.lo)) expect(piece.lo % DAY, label).toBe(0);
      if (Number.isFinite(piece.hi)) expect(piece.hi % DAY, label).toBe(0);
    }
    if (piece.kind === "hours") {
      expect(piece.lo % HOUR, label).toBe(0);
      expect(piece.hi % HOUR, label).toBe(0);
    }
    if (piece.kind === "raw") {
      expect(Number.isFinite(piece.lo) && Number.isFinite(piece.hi), label).toBe(true);
      // An edge shorter than an hour, or (when no whole hour fits) the whole short range.
      expect(piece.hi - piece.lo, label).toBeLessThan(parts.hours.length ? HOUR : 2 * HOUR);
    }
  }
  const rawTotal = list.filter((p) => p.kind === "raw").reduce((sum, p) => sum + p.hi - p.lo, 0);
  expect(rawTotal, label).toBeLessThan(2 * HOUR);
  // Only the edges are counted from the jobs table, and only bucket boundaries fall inside the range.
  expect(parts.raw.length, label).toBeLessThanOrEqual(2);
  expect(parts.hours.length, label).toBeLessThanOrEqual(2);
  return list;
}

/** A small deterministic random generator, so a failure can be replayed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.parse("2026-11-20T00:00:00.000Z");

describe("splitting a time range into day buckets, hour buckets and raw edges", () => {
  it("counts a range between two midnights from day buckets alone", () => {
    expect(splitRange({ from: "2026-11-01T00:00:00.000Z", to: "2026-11-28T00:00:00.000Z" })).toEqual({
      days: { from: "2026-11-01T00:00:00.000Z", to: "2026-11-28T00:00:00.000Z" },
      hours: [],
      raw: [],
    });
  });

  it("counts a range of whole hours inside one day from hour buckets alone", () => {
    expect(splitRange({ from: "2026-11-27T08:00:00.000Z", to: "2026-11-27T17:00:00.000Z" })).toEqual({
      days: null,
      hours: [{ from: "2026-11-27T08:00:00.000Z", to: "2026-11-27T17:00:00.000Z" }],
      raw: [],
    });
  });

  it("counts a range shorter than an hour from the jobs themselves", () => {
    expect(splitRange({ from: "2026-11-27T08:10:00.000Z", to: "2026-11-27T08:50:00.000Z" })).toEqual({
      days: null,
      hours: [],
      raw: [{ from: "2026-11-27T08:10:00.000Z", to: "2026-11-27T08:50:00.000Z" }],
    });
  });

  it("counts a sub-hour range that crosses an hour boundary from the jobs themselves", () => {
    expect(splitRange({ from: "2026-11-27T08:50:00.000Z", to: "2026-11-27T09:10:00.000Z" })).toEqual({
      days: null,
      hours: [],
      raw: [{ from: "2026-11-27T08:50:00.000Z", to: "2026-11-27T09:10:00.000Z" }],
    });
  });

  it("counts a range of several days from days, then hours, then minutes at each edge", () => {
    expect(splitRange({ from: "2026-11-25T10:30:00.000Z", to: "2026-11-27T05:15:00.000Z" })).toEqual({
      days: { from: "2026-11-26T00:00:00.000Z", to: "2026-11-27T00:00:00.000Z" },
      hours: [
        { from: "2026-11-25T11:00:00.000Z", to: "2026-11-26T00:00:00.000Z" },
        { from: "2026-11-27T00:00:00.000Z", to: "2026-11-27T05:00:00.000Z" },
      ],
      raw: [
        { from: "2026-11-25T10:30:00.000Z", to: "2026-11-25T11:00:00.000Z" },
        { from: "2026-11-27T05:00:00.000Z", to: "2026-11-27T05:15:00.000Z" },
      ],
    });
  });

  it("counts a range that crosses midnight without holding a whole day from hours and edges", () => {
    expect(splitRange({ from: "2026-11-26T22:30:00.000Z", to: "2026-11-27T01:30:00.000Z" })).toEqual({
      days: null,
      hours: [{ from: "2026-11-26T23:00:00.000Z", to: "2026-11-27T01:00:00.000Z" }],
      raw: [
        { from: "2026-11-26T22:30:00.000Z", to: "2026-11-26T23:00:00.000Z" },
        { from: "2026-11-27T01:00:00.000Z", to: "2026-11-27T01:30:00.000Z" },
      ],
    });
  });

  it("counts “the last 24 hours” from hours and two edges", () => {
    expect(splitRange({ from: "2026-11-26T12:34:56.789Z", to: null })).toEqual({
      days: { from: "2026-11-27T00:00:00.000Z", to: null },
      hours: [{ from: "2026-11-26T13:00:00.000Z", to: "2026-11-27T00:00:00.000Z" }],
      raw: [{ from: "2026-11-26T12:34:56.789Z", to: "2026-11-26T13:00:00.000Z" }],
    });
  });

  it("counts all time from the day buckets alone", () => {
    expect(splitRange({ from: null, to: null })).toEqual({
      days: { from: null, to: null },
      hours: [],
      raw: [],
    });
  });

  it("counts everything before a date from the day buckets and the last day's hours", () => {
    expect(splitRange({ from: null, to: "2026-11-27T05:15:00.000Z" })).toEqual({
      days: { from: null, to: "2026-11-27T00:00:00.000Z" },
      hours: [{ from: "2026-11-27T00:00:00.000Z", to: "2026-11-27T05:00:00.000Z" }],
      raw: [{ from: "2026-11-27T05:00:00.000Z", to: "2026-11-27T05:15:00.000Z" }],
    });
  });

  it("counts nothing for an empty or reversed range", () => {
    expect(splitRange({ from: "2026-11-27T05:00:00.000Z", to: "2026-11-27T05:00:00.000Z" })).toEqual({
      days: null,
      hours: [],
      raw: [],
    });
    expect(splitRange({ from: "2026-11-28T05:00:00.000Z", to: "2026-11-27T05:00:00.000Z" })).toEqual({
      days: null,
      hours: [],
      raw: [],
    });
    expect(splitRange({ from: "2026-11-28T00:00:00.000Z", to: "2026-11-27T00:00:00.000Z" })).toEqual({
      days: null,
      hours: [],
      raw: [],
    });
  });

  it.each([
    ["all time", null, null],
    ["open start, day-aligned end", null, "2026-11-27T00:00:00.000Z"],
    ["open start, hour-aligned end", null, "2026-11-27T13:00:00.000Z"],
    ["open start, ragged end", null, "2026-11-27T13:14:15.016Z"],
    ["day-aligned start, open end", "2026-11-27T00:00:00.000Z", null],
    ["hour-aligned start, open end", "2026-11-27T13:00:00.000Z", null],
    ["ragged start, open end", "2026-11-27T13:14:15.016Z", null],
    ["one whole day", "2026-11-27T00:00:00.000Z", "2026-11-28T00:00:00.000Z"],
    ["exactly 24 hours from noon", "2026-11-27T12:00:00.000Z", "2026-11-28T12:00:00.000Z"],
    ["one millisecond", "2026-11-27T12:00:00.000Z", "2026-11-27T12:00:00.001Z"],
    ["the last millisecond of a day", "2026-11-27T23:59:59.999Z", "2026-11-28T00:00:00.000Z"],
    ["the first millisecond of a day", "2026-11-28T00:00:00.000Z", "2026-11-28T00:00:00.001Z"],
    ["one hour on the hour", "2026-11-27T12:00:00.000Z", "2026-11-27T13:00:00.000Z"],
    ["an hour less a millisecond", "2026-11-27T12:00:00.001Z", "2026-11-27T13:00:00.000Z"],
    ["a day in Copenhagen (23:00 to 23:00 UTC)", "2026-11-26T23:00:00.000Z", "2026-11-27T23:00:00.000Z"],
    ["a day in Kolkata (18:30 to 18:30 UTC)", "2026-11-26T18:30:00.000Z", "2026-11-27T18:30:00.000Z"],
    ["90 days back from a ragged now", "2026-08-29T09:41:07.123Z", null],
    ["across a month end", "2026-10-31T20:15:00.000Z", "2026-11-01T03:45:00.000Z"],
    ["across a leap day", "2028-02-28T12:00:00.000Z", "2028-03-01T12:00:00.000Z"],
    ["across a year end", "2026-12-31T23:30:00.000Z", "2027-01-01T00:30:00.000Z"],
  ])("tiles %s exactly, with no gap and no overlap", (_name, from, to) => {
    expectTiles({ from, to });
  });

  it("tiles thousands of random ranges exactly, with no gap and no overlap", () => {
    const random = mulberry32(20261127);
    // Ends snapped to days, hours, minutes or milliseconds, so that aligned edges come up often.
    const grains = [DAY, HOUR, 15 * MINUTE, MINUTE, 1];
    const point = () => {
      const grain = grains[Math.floor(random() * grains.length)]!;
      const t = BASE + Math.floor((random() - 0.5) * 20 * DAY);
      return Math.floor(t / grain) * grain;
    };
    for (let i = 0; i < 5_000; i++) {
      const a = point();
      const b = random() < 0.3 ? a + Math.floor(random() * 2 * HOUR) : point();
      const openness = random();
      const from = openness < 0.1 ? null : iso(Math.min(a, b));
      const to = openness > 0.9 ? null : iso(Math.max(a, b));
      expectTiles({ from, to });
    }
  });

  it("tiles every range inside one day with every start and end on a quarter hour", () => {
    for (let start = 0; start < DAY; start += 15 * MINUTE) {
      for (let end = start + 15 * MINUTE; end <= DAY + 2 * HOUR; end += 15 * MINUTE) {
        const list = expectTiles({ from: iso(BASE + start), to: iso(BASE + end) });
        expect(list.some((p) => p.kind === "days")).toBe(start === 0 && end >= DAY);
      }
    }
  });

  it("uses a day bucket whenever the range holds a whole UTC day", () => {
    const parts = splitRange({ from: "2026-11-26T00:00:01.000Z", to: "2026-11-28T00:00:00.000Z" });
    expect(parts.days).toEqual({ from: "2026-11-27T00:00:00.000Z", to: "2026-11-28T00:00:00.000Z" });
  });
});
