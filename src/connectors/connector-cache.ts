import type { DbOrTx } from "../db/database";
import { type Connector, listConnectors } from "./connectors.repository";

// Every Job Monitor page lists the account's connectors for its filter, and an account may have
// hundreds. They change rarely, so each process keeps them under the account's connectors version, a
// number in the database that grows with every change to them: one small read tells whether the list is
// still current, whichever instance made the change.

// One cache per database handle, so that two apps in one process (as in the tests) never share entries.
const caches = new WeakMap<object, Map<number, { version: number; connectors: readonly Connector[] }>>();

export async function accountConnectors(db: DbOrTx, accountId: number): Promise<readonly Connector[]> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const row = await db
    .selectFrom("accounts")
    .select("connectors_version")
    .where("id", "=", accountId)
    .executeTakeFirst();
  const version = row?.connectors_version ?? 0;
  const hit = cache.get(accountId);
  if (hit && hit.version === version) return hit.connectors;
  // Read after the version: a change landing in between is at worst kept under the older version.
  const connectors = Object.freeze(await listConnectors(db, accountId));
  cache.set(accountId, { version, connectors });
  return connectors;
}
