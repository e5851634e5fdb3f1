import type { AccountRow, DbOrTx } from "../db/database";

export async function findAccountByServiceId(db: DbOrTx, serviceId: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("service_id", "=", serviceId).executeTakeFirst();
}

export async function findAccount(db: DbOrTx, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function createAccount(
  db: DbOrTx,
  input: { serviceId: string; name: string; createdAt: string },
): Promise<AccountRow> {
  return db
    .insertInto("accounts")
    .values({ service_id: input.serviceId, name: input.name, created_at: input.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countAccounts(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
