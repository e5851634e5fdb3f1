import type { DbOrTx } from "../db/database";
import { type Connector, listConnectors } from "./connectors.repository";

// Every Job Monitor page lists the account's connectors for its filter, and an account may have
// hundreds. They change rarely, so each process keeps them for a few seconds; a change made through this
// process is seen at once, one made through another instance within the TTL.

const TTL_MS = 5000;
const cache = new Map<number, { at: number; connectors: readonly Connector[] }>();

export async function accountConnectors(db: DbOrTx, accountId: number): Promise<readonly Connector[]> {
  const hit = cache.get(accountId);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.connectors;
  const connectors = Object.freeze(await listConnectors(db, accountId));
  cache.set(accountId, { at: now, connectors });
  return connectors;
}

export function forgetConnectors(accountId: number): void {
  cache.delete(accountId);
}
