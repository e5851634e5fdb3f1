import { describe, expect, it } from "vitest";
import {
  dayInZone,
  describeTimeZone,
  durationBetween,
  formatBytes,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatOffset,
  isValidTimeZone,
  plural,
  startOfDayInZone,
  zoneOffsetMinutes,
} from "./format";

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe("counts", () => {
  it("groups thousands with commas", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1_000)).toBe("1,000");
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });

  it("groups digits exactly as Intl does, for every length and sign", () => {
    const intl = new Intl.NumberFormat("en-US");
    const samples = [1, 12, 123, 1234, 12345, 123456, 1234567, 10000000, 999999999, Number.MAX_SAFE_INTEGER];
    for (const n of [...samples, ...samples.map((v) => -v), 0.5, 1234.5, 1e21]) {
      expect(formatCount(n), String(n)).toBe(intl.format(n));
    }
  });

  it("says “1 item” and “2 items”", () => {
    expect(plural(0, "item")).toBe("0 items");
    expect(plural(1, "item")).toBe("1 item");
    expect(plural(2, "item")).toBe("2 items");
    expect(plural(12_500, "item")).toBe("12,500 items");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});

describe("sizes", () => {
  it.each([
    [0, "0 B"],
    [1, "1 B"],
    [999, "999 B"],
    [1_000, "1 KB"],
    [1_500, "1.5 KB"],
    [1_234, "1.23 KB"],
    [12_345, "12.3 KB"],
    [123_456, "123 KB"],
    [999_499, "999 KB"],
    [1_000_000, "1 MB"],
    [56_700_000, "56.7 MB"],
    [2_500_000_000, "2.5 GB"],
    [1_000_000_000_000, "1 TB"],
    [3_210_000_000_000_000, "3.21 PB"],
  ])("shows %i bytes as “%s”, in decimal units", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [999_500, "1 MB"],
    [999_949, "1 MB"],
    [999_950, "1 MB"],
    [999_999, "1 MB"],
    [999_500_000, "1 GB"],
    [99_960, "100 KB"],
    [9_996, "10 KB"],
  ])(
    "rounds up into the next figure or unit instead of showing four digits: %i bytes read “%s”",
    (bytes, text) => {
      expect(formatBytes(bytes)).toBe(text);
    },
  );

  it("stays in petabytes beyond them", () => {
    expect(formatBytes(5_000_000_000_000_000_000)).toBe("5000 PB");
  });
});

describe("durations", () => {
  it.each([
    [0, "0 s"],
    [400, "0 s"],
    [45_000, "45 s"],
    [59_400, "59 s"],
    [59_600, "1 min"],
    [12 * MINUTE, "12 min"],
    [59 * MINUTE + 59_000, "59 min"],
    [HOUR, "1 h"],
    [72 * MINUTE, "1 h 12 min"],
    [23 * HOUR + 59 * MINUTE, "23 h 59 min"],
    [24 * HOUR, "1 d"],
    [76 * HOUR, "3 d 4 h"],
    [76 * HOUR + 59 * MINUTE, "3 d 4 h"],
  ])("shows %i ms as “%s”", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("shows a negative duration (clock skew between engines) as 0 s", () => {
    expect(formatDuration(-5_000)).toBe("0 s");
  });

  it("measures the time between two ISO instants", () => {
    expect(durationBetween("2026-11-27T10:00:00.000Z", "2026-11-27T11:12:00.000Z")).toBe(72 * MINUTE);
    expect(formatDuration(durationBetween("2026-11-27T10:00:00Z", "2026-11-27T11:12:30Z"))).toBe(
      "1 h 12 min",
    );
  });
});

describe("dates and times in the user's time zone", () => {
  it("shows a time in Copenhagen in winter and in summer", () => {
    expect(formatDateTime("2026-11-27T13:05:00.000Z", "Europe/Copenhagen")).toBe("27 Nov 2026, 14:05");
    expect(formatDateTime("2026-07-01T13:05:00.000Z", "Europe/Copenhagen")).toBe("1 Jul 2026, 15:05");
  });

  it("shows the previous day in New York for an early-morning UTC time", () => {
    expect(formatDateTime("2026-11-27T00:30:00.000Z", "America/New_York")).toBe("26 Nov 2026, 19:30");
  });

  it("shows midnight as 00:00, not 24:00", () => {
    expect(formatDateTime("2026-11-26T23:00:00.000Z", "Europe/Copenhagen")).toBe("27 Nov 2026, 00:00");
  });

  it("shows half-hour zones", () => {
    expect(formatDateTime("2026-11-27T00:00:00.000Z", "Asia/Kolkata")).toBe("27 Nov 2026, 05:30");
  });

  it("shows the calendar date in the zone", () => {
    expect(formatDate("2026-11-27T23:30:00.000Z", "UTC")).toBe("27 Nov 2026");
    expect(formatDate("2026-11-27T23:30:00.000Z", "Europe/Copenhagen")).toBe("28 Nov 2026");
  });

  it("gives the same text when the same time is formatted again, and tells an invalid time apart", () => {
    const at = "2026-03-29T01:30:00.000Z";
    const first = formatDateTime(at, "Europe/Copenhagen");
    expect(first).toBe("29 Mar 2026, 03:30");
    expect(formatDateTime(at, "Europe/Copenhagen")).toBe(first);
    expect(formatDate(at, "America/Los_Angeles")).toBe("28 Mar 2026");
    expect(() => formatDateTime("not a time", "UTC")).toThrow(RangeError);
  });

  it("keeps zones apart when formatting one after the other", () => {
    const at = "2026-01-05T09:03:00.000Z";
    expect(formatDateTime(at, "UTC")).toBe("5 Jan 2026, 09:03");
    expect(formatDateTime(at, "Asia/Tokyo")).toBe("5 Jan 2026, 18:03");
    expect(formatDateTime(at, "UTC")).toBe("5 Jan 2026, 09:03");
  });
});

describe("offsets from UTC", () => {
  it.each([
    ["UTC", "2026-01-15T12:00:00Z", 0],
    ["Europe/Copenhagen", "2026-01-15T12:00:00Z", 60],
    ["Europe/Copenhagen", "2026-07-15T12:00:00Z", 120],
    ["America/New_York", "2026-01-15T12:00:00Z", -300],
    ["America/New_York", "2026-07-15T12:00:00Z", -240],
    ["Asia/Kolkata", "2026-01-15T12:00:00Z", 330],
    ["Asia/Kathmandu", "2026-01-15T12:00:00Z", 345],
    ["Pacific/Marquesas", "2026-01-15T12:00:00Z", -570],
  ])("finds %s at %s %i minutes from UTC", (zone, at, minutes) => {
    expect(zoneOffsetMinutes(zone, new Date(at))).toBe(minutes);
  });

  it("changes the offset at the instant Copenhagen moves its clocks", () => {
    expect(zoneOffsetMinutes("Europe/Copenhagen", new Date("2026-03-29T00:59:59.999Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Copenhagen", new Date("2026-03-29T01:00:00.000Z"))).toBe(120);
    expect(zoneOffsetMinutes("Europe/Copenhagen", new Date("2026-10-25T00:59:59.999Z"))).toBe(120);
    expect(zoneOffsetMinutes("Europe/Copenhagen", new Date("2026-10-25T01:00:00.000Z"))).toBe(60);
  });

  it.each([
    [0, "UTC+00:00"],
    [60, "UTC+01:00"],
    [330, "UTC+05:30"],
    [345, "UTC+05:45"],
    [840, "UTC+14:00"],
    [-300, "UTC−05:00"],
    [-570, "UTC−09:30"],
  ])("writes an offset of %i minutes as “%s”", (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });

  it("describes a zone with its offset at that moment, and UTC plainly", () => {
    expect(describeTimeZone("Europe/Copenhagen", new Date("2026-01-15T12:00:00Z"))).toBe(
      "Europe/Copenhagen (UTC+01:00)",
    );
    expect(describeTimeZone("America/New_York", new Date("2026-07-01T00:00:00Z"))).toBe(
      "America/New_York (UTC−04:00)",
    );
    expect(describeTimeZone("UTC", new Date("2026-07-01T00:00:00Z"))).toBe("UTC");
  });

  it("accepts real IANA zones and refuses made-up or over-long names", () => {
    expect(isValidTimeZone("Europe/Copenhagen")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone(`Europe/${"x".repeat(60)}`)).toBe(false);
  });
});

describe("the first instant of a day in a zone", () => {
  it.each([
    ["2026-11-27", "UTC", "2026-11-27T00:00:00.000Z"],
    ["2026-01-15", "Europe/Copenhagen", "2026-01-14T23:00:00.000Z"],
    ["2026-07-15", "Europe/Copenhagen", "2026-07-14T22:00:00.000Z"],
    ["2026-01-15", "America/New_York", "2026-01-15T05:00:00.000Z"],
    ["2026-07-15", "America/New_York", "2026-07-15T04:00:00.000Z"],
    ["2026-01-15", "Asia/Kolkata", "2026-01-14T18:30:00.000Z"],
    ["2026-01-15", "Pacific/Kiritimati", "2026-01-14T10:00:00.000Z"],
    ["2026-01-15", "Etc/GMT+12", "2026-01-15T12:00:00.000Z"],
    ["2026-01-01", "Europe/Copenhagen", "2025-12-31T23:00:00.000Z"],
    ["2028-02-29", "UTC", "2028-02-29T00:00:00.000Z"],
  ])("starts %s in %s at %s", (day, zone, iso) => {
    expect(startOfDayInZone(day, zone).toISOString()).toBe(iso);
  });

  describe("across Copenhagen's daylight-saving changes", () => {
    it.each([
      ["2026-03-28", "2026-03-27T23:00:00.000Z"],
      ["2026-03-29", "2026-03-28T23:00:00.000Z"],
      ["2026-03-30", "2026-03-29T22:00:00.000Z"],
      ["2026-10-24", "2026-10-23T22:00:00.000Z"],
      ["2026-10-25", "2026-10-24T22:00:00.000Z"],
      ["2026-10-26", "2026-10-25T23:00:00.000Z"],
    ])("starts %s at %s", (day, iso) => {
      expect(startOfDayInZone(day, "Europe/Copenhagen").toISOString()).toBe(iso);
    });

    it("makes the spring-forward day 23 hours long and the fall-back day 25", () => {
      const length = (day: string, next: string) =>
        (startOfDayInZone(next, "Europe/Copenhagen").getTime() -
          startOfDayInZone(day, "Europe/Copenhagen").getTime()) /
        HOUR;
      expect(length("2026-03-29", "2026-03-30")).toBe(23);
      expect(length("2026-10-25", "2026-10-26")).toBe(25);
      expect(length("2026-06-01", "2026-06-02")).toBe(24);
    });
  });

  describe("across New York's daylight-saving changes", () => {
    it.each([
      ["2026-03-07", "2026-03-07T05:00:00.000Z"],
      ["2026-03-08", "2026-03-08T05:00:00.000Z"],
      ["2026-03-09", "2026-03-09T04:00:00.000Z"],
      ["2026-10-31", "2026-10-31T04:00:00.000Z"],
      ["2026-11-01", "2026-11-01T04:00:00.000Z"],
      ["2026-11-02", "2026-11-02T05:00:00.000Z"],
    ])("starts %s at %s", (day, iso) => {
      expect(startOfDayInZone(day, "America/New_York").toISOString()).toBe(iso);
    });
  });

  describe("in zones that change their clocks at midnight", () => {
    it("starts a day whose midnight is skipped at the moment the clocks jump (Santiago)", () => {
      // 2026-09-06 00:00 −04 never happens: the clocks go to 01:00 −03 at 04:00 UTC.
      expect(startOfDayInZone("2026-09-06", "America/Santiago").toISOString()).toBe(
        "2026-09-06T04:00:00.000Z",
      );
    });

    it("starts a day whose midnight is skipped at the moment the clocks jump (Havana)", () => {
      expect(startOfDayInZone("2026-03-08", "America/Havana").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    });

    it("starts a day whose midnight happens twice at the first midnight (Amman)", () => {
      // On 2021-10-29 Amman went from 01:00 +03 back to 00:00 +02.
      expect(startOfDayInZone("2021-10-29", "Asia/Amman").toISOString()).toBe("2021-10-28T21:00:00.000Z");
    });
  });

  it.each([
    "Europe/Copenhagen",
    "America/New_York",
    "America/Santiago",
    "America/Havana",
    "Australia/Lord_Howe",
  ])("makes every day of 2026 in %s begin exactly where the previous one ends", (zone) => {
    let day = "2026-01-01";
    let previous = "2025-12-31";
    while (day < "2027-01-01") {
      const start = startOfDayInZone(day, zone);
      expect(dayInZone(start, zone), `${zone} ${day}`).toBe(day);
      expect(dayInZone(new Date(start.getTime() - 1), zone), `${zone} ${day}`).toBe(previous);
      previous = day;
      day = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
    }
  });
});

describe("the calendar day of an instant in a zone", () => {
  it.each([
    ["2026-11-27T23:30:00.000Z", "UTC", "2026-11-27"],
    ["2026-11-27T23:30:00.000Z", "Europe/Copenhagen", "2026-11-28"],
    ["2026-11-27T22:59:59.999Z", "Europe/Copenhagen", "2026-11-27"],
    ["2026-11-28T03:00:00.000Z", "America/New_York", "2026-11-27"],
    ["2026-11-28T05:00:00.000Z", "America/New_York", "2026-11-28"],
    ["2026-11-27T18:29:00.000Z", "Asia/Kolkata", "2026-11-27"],
    ["2026-11-27T18:30:00.000Z", "Asia/Kolkata", "2026-11-28"],
    ["2026-03-28T23:00:00.000Z", "Europe/Copenhagen", "2026-03-29"],
  ])("puts %s in %s on %s", (at, zone, day) => {
    expect(dayInZone(new Date(at), zone)).toBe(day);
  });
});
