// What text the store keeps exactly as it was given. A JavaScript string may hold a lone UTF-16
// surrogate, which has no UTF-8 form: SQLite would store U+FFFD instead, so two different keys became
// one stored key and the skipped-items count and bytes went wrong (even negative). NUL ends a string for
// SQLite's own functions and PostgreSQL refuses it. Such text is refused where it enters (the engine API's
// schemas), and the store asserts it never gets that far.

// With the u flag a surrogate in a class matches only a lone one: a proper pair is one code point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSTORABLE = /[\uD800-\uDFFF\u0000]/u;

/** Why a string cannot be stored as it is, or null when it can. */
export function unstorableText(value: string): string | null {
  const m = UNSTORABLE.exec(value);
  if (!m) return null;
  const unit = m[0].charCodeAt(0);
  if (unit === 0) return "must not contain the NUL character (\\u0000)";
  return `must be valid Unicode: it holds a lone surrogate (\\u${unit.toString(16).toUpperCase()}) at position ${m.index}, which cannot be stored`;
}

/** Throws when a value would not come back from the store as it went in: a bug, since input is checked. */
export function assertStorableText(value: string, what: string): void {
  const problem = unstorableText(value);
  if (problem) throw new Error(`${what} ${problem}`);
}
