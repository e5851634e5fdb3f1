import type { DbOrTx } from "../db/database";

// The status summary, total and chart of a filter cost more than the page of rows under them (several
// bucket sums, and a chart of up to 92 days), yet stay the same from one request to the next until one of
// the account's jobs changes. Each process keeps the latest few hundred, each under the account's jobs
// version it was worked out for; a request that sees a newer version works them out again.

const MAX_ENTRIES = 500;

type Entry = { version: number; value: unknown };

// One cache per database handle, so that two apps in one process (as in the tests) never share entries.
const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * The value remembered for `key` at this jobs version, or what `load` returns (and is then remembered).
 * The caller reads `version` before `load` reads any job: a change that lands in between is then at worst
 * remembered under the older version, which no later request asks for.
 */
export async function rememberedSummary<T>(
  db: DbOrTx,
  key: string,
  version: number,
  load: () => Promise<T>,
): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Most recently used last, so that the oldest entry is the first to go.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const value = await load();
  cache.delete(key);
  cache.set(key, { version, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
