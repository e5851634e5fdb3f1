import { stringify } from "csv-stringify/sync";

// The CSV files: UTF-8 with a byte-order mark (so Excel reads the encoding), raw values (bytes, seconds,
// ISO-8601 UTC) so spreadsheets can compute with them, and no cell that a spreadsheet would run as a
// formula. They are produced a chunk of rows at a time, so memory stays flat whatever the size.

const BOM = "\uFEFF";

const OPTIONS = {
  // Cells starting with = + - @ tab or CR get a leading apostrophe (OWASP's CSV-injection advice).
  escape_formulas: true,
  // A leading line feed or NUL can also smuggle a formula past some spreadsheets: defuse them too.
  cast: { string: (value: string) => (/^[\n\0]/.test(value) ? `'${value}` : value) },
  record_delimiter: "\r\n",
} as const;

/** A CSV stream from chunks of rows: the header first, then each chunk as it is read. */
export function csvStream<T>(
  columns: readonly string[],
  chunks: AsyncIterable<T[]>,
  toRecord: (row: T) => (string | number)[],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(BOM + stringify([columns as unknown as string[]], OPTIONS)));
        return;
      }
      const { value, done } = await iterator.next();
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(stringify(value.map(toRecord), OPTIONS)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A file name safe on every system, plus its UTF-8 form for browsers that read it. */
export function attachment(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-(?=\.)/g, "")
    .slice(0, 150);
  // RFC 8187 allows fewer characters than encodeURIComponent leaves alone: encode ' ( ) * ! too.
  const utf8 = encodeURIComponent(name.replace(/[/\\]/g, "-")).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii || "export.csv"}"; filename*=UTF-8''${utf8}`;
}
