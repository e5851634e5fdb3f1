// How free text splits into words and tokens, the same for both stores: a token is a run of letters and
// digits of any script, compared without case and without diacritics. SQLite's FTS5 index (unicode61,
// remove_diacritics 2) does this itself; the PostgreSQL index is fed tokens made here, so both find the
// same jobs for the same words.

/** The words of a search, each as the tokens the index splits it into (as typed: FTS5 folds them). */
export function searchWords(text: string): string[][] {
  return text
    .split(/\s+/)
    .map((word) => word.match(/[\p{L}\p{N}]+/gu))
    .filter((tokens): tokens is RegExpMatchArray => tokens !== null)
    .map((tokens) => [...tokens]);
}

/** The folded tokens of a text, in order (what the index holds for it). */
export function textTokens(text: string): string[] {
  return (
    text
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The words of a search, each as folded tokens: what the PostgreSQL index is asked for. */
export function foldedSearchWords(text: string): string[][] {
  return text
    .split(/\s+/)
    .map(textTokens)
    .filter((tokens) => tokens.length > 0);
}
