import type { DbOrTx, UserRow } from "../db/database";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

export async function findUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function createUser(
  db: DbOrTx,
  input: { accountId: number; email: string; passwordHash: string; now: string },
): Promise<UserRow> {
  return db
    .insertInto("users")
    .values({
      account_id: input.accountId,
      email: normalizeEmail(input.email),
      password_hash: input.passwordHash,
      time_zone: null,
      created_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setUserTimeZone(db: DbOrTx, userId: number, timeZone: string | null): Promise<void> {
  await db.updateTable("users").set({ time_zone: timeZone }).where("id", "=", userId).execute();
}
