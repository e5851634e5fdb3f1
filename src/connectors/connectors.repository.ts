import { sql } from "kysely";
import type { ConnectorRow, DbOrTx } from "../db/database";
import type { ConnectorKind } from "./connector-kinds";

export type Connector = { pk: number; id: string; name: string; kind: ConnectorKind };

const toConnector = (r: Pick<ConnectorRow, "pk" | "id" | "name" | "kind">): Connector => ({
  pk: r.pk,
  id: r.id,
  name: r.name,
  kind: r.kind as ConnectorKind,
});

/** A connector of this account by its ID; another account's connector is not found. */
export async function findConnector(
  db: DbOrTx,
  accountId: number,
  id: string,
): Promise<Connector | undefined> {
  const row = await db
    .selectFrom("connectors")
    .select(["pk", "id", "name", "kind"])
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row && toConnector(row);
}

/** The account's connectors with the given IDs (unknown IDs are simply missing from the result). */
export async function findConnectors(
  db: DbOrTx,
  accountId: number,
  ids: readonly string[],
): Promise<Connector[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("connectors")
    .select(["pk", "id", "name", "kind"])
    .where("account_id", "=", accountId)
    .where("id", "in", ids)
    .execute();
  return rows.map(toConnector);
}

/** Every connector of the account, by name. */
export async function listConnectors(db: DbOrTx, accountId: number): Promise<Connector[]> {
  const rows = await db
    .selectFrom("connectors")
    .select(["pk", "id", "name", "kind"])
    .where("account_id", "=", accountId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toConnector);
}

export type ConnectorUpsert = { created: boolean; renamed: boolean; connector: Connector };

/** Creates the connector or updates its name and kind. */
export async function upsertConnector(
  db: DbOrTx,
  accountId: number,
  input: { id: string; name: string; kind: ConnectorKind },
  now: string,
): Promise<ConnectorUpsert> {
  const existing = await db
    .selectFrom("connectors")
    .select(["pk", "id", "name", "kind"])
    .where("account_id", "=", accountId)
    .where("id", "=", input.id)
    .executeTakeFirst();
  if (existing) {
    if (existing.name !== input.name || existing.kind !== input.kind) {
      await db
        .updateTable("connectors")
        .set({ name: input.name, kind: input.kind, updated_at: now })
        .where("pk", "=", existing.pk)
        .execute();
    }
    return {
      created: false,
      renamed: existing.name !== input.name,
      connector: { pk: existing.pk, id: input.id, name: input.name, kind: input.kind },
    };
  }
  const row = await db
    .insertInto("connectors")
    .values({
      account_id: accountId,
      id: input.id,
      name: input.name,
      kind: input.kind,
      created_at: now,
      updated_at: now,
    })
    .returning(["pk", "id", "name", "kind"])
    .executeTakeFirstOrThrow();
  return { created: true, renamed: false, connector: toConnector(row) };
}

/**
 * Connectors whose name contains `find` (any case), by name, leaving out `exclude`: what the connector
 * filter offers. At most `limit` are returned; `total` says how many matched.
 */
export async function searchConnectors(
  db: DbOrTx,
  accountId: number,
  { find, exclude, limit }: { find: string; exclude: readonly string[]; limit: number },
): Promise<{ connectors: Connector[]; total: number }> {
  let query = db.selectFrom("connectors").where("account_id", "=", accountId);
  if (find) {
    const pattern = `%${find.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
  }
  if (exclude.length) query = query.where("id", "not in", exclude);
  const [rows, count] = await Promise.all([
    query.select(["pk", "id", "name", "kind"]).orderBy("name").orderBy("id").limit(limit).execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { connectors: rows.map(toConnector), total: Number(count.n) };
}
