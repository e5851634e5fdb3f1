// How numbers, sizes, durations and times read on the page and in summaries. The CSV files carry raw
// values (bytes, seconds, ISO-8601 UTC) so that spreadsheets can compute with them.

const countFormat = new Intl.NumberFormat("en-US");

/** "1,234,567". */
export function formatCount(n: number): string {
  // A page formats a few hundred counts; grouping a whole number's digits here is much cheaper than Intl.
  if (!Number.isSafeInteger(n)) return countFormat.format(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** "1 item", "3 items". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** Sizes in decimal units (1 MB = 1,000,000 bytes), three significant digits at most. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  // 999.5 and above would round to "1000" at three significant digits: that is the next unit.
  while (value >= 999.5 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${SIZE_UNITS[unit]}`;
}

/** "45 s", "12 min", "1 h 12 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function durationBetween(startIso: string, endIso: string): number {
  return new Date(endIso).getTime() - new Date(startIso).getTime();
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
    cache.set(timeZone, format);
  }
  return format;
}

// Every page shows the same few hundred times again (its rows, the chart's days) until they scroll away,
// and Intl's format is the costliest step of drawing a row: each process remembers what it formatted.
const MAX_REMEMBERED = 20_000;
const formatted = new Map<string, string>();

function remembered(key: string, format: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= MAX_REMEMBERED) formatted.clear();
    text = format();
    formatted.set(key, text);
  }
  return text;
}

/** "27 Nov 2026, 14:05" in the given zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return remembered(`t ${timeZone} ${iso}`, () =>
    cached(dateTimeFormats, timeZone, {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(iso)),
  );
}

/** "27 Nov 2026" in the given zone. */
export function formatDate(iso: string, timeZone: string): string {
  return remembered(`d ${timeZone} ${iso}`, () =>
    cached(dateFormats, timeZone, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso)),
  );
}

/** The zone's offset from UTC at that moment, in minutes (Copenhagen in winter: 60). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  if (timeZone === "UTC") return 0;
  const parts = cached(offsetFormats, timeZone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** "UTC+01:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "Europe/Copenhagen (UTC+01:00)", or "UTC". */
export function describeTimeZone(timeZone: string, at: Date): string {
  if (timeZone === "UTC") return "UTC";
  return `${timeZone} (${formatOffset(zoneOffsetMinutes(timeZone, at))})`;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The UTC instant at which a calendar day (YYYY-MM-DD) begins in a zone. */
export function startOfDayInZone(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  // The day's first local moment, written as if it were UTC.
  const midnight = Date.UTC(y, m - 1, d);
  const localTime = (t: number) => t + zoneOffsetMinutes(timeZone, new Date(t)) * 60_000;
  // Offsets range from UTC−12 to UTC+14: the day begins somewhere in [lo, hi).
  let lo = midnight - 15 * 60 * 60_000;
  let hi = midnight + 13 * 60 * 60_000;
  const offset = zoneOffsetMinutes(timeZone, new Date(lo));
  if (offset === zoneOffsetMinutes(timeZone, new Date(hi))) return new Date(midnight - offset * 60_000);
  // The clocks change near this midnight: midnight may be skipped (the day begins at the change) or
  // repeated (the day begins at its first occurrence). Search for the first instant of the day.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localTime(mid) >= midnight) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone. */
export function dayInZone(at: Date, timeZone: string): string {
  const shifted = new Date(at.getTime() + zoneOffsetMinutes(timeZone, at) * 60_000);
  return shifted.toISOString().slice(0, 10);
}
