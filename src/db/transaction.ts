import type { DbOrTx } from "./database";
import { isRetryable } from "./store";

/** How many times a transaction runs before its conflict is reported as an error. */
const ATTEMPTS = 5;

/**
 * Runs fn in a transaction: a new one, or the caller's if it already holds one. This lets the demo load
 * months of history through the same domain functions in one transaction. A new transaction that lost
 * a race with another instance (a deadlock, a serialization failure, a key taken in between) runs again
 * from the start, reading what the other one wrote.
 */
export async function inTransaction<T>(db: DbOrTx, fn: (trx: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(db, error)) throw error;
    }
  }
}
