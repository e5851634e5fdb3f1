/**
 * Lets the event loop serve what is waiting (other requests) before going on. Long work done in chunks (an
 * export, a purge) calls it between chunks: a fast reader would otherwise keep it running without a pause.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
