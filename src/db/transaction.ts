import type { DbOrTx } from "./database";

/**
 * Runs fn in a transaction: a new one, or the caller's if it already holds one. This lets the demo load
 * months of history through the same domain functions in one transaction.
 */
export async function inTransaction<T>(db: DbOrTx, fn: (trx: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
