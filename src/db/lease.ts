import type { DbOrTx } from "./database";

// A lease row names the one instance that may run a piece of work now. Taking it is one upsert that
// succeeds only where the row is missing, expired, or already ours, so of several instances asking at
// once exactly one gets it, on SQLite and PostgreSQL alike; a holder that dies frees it by expiring.

/** Takes (or renews) the lease `name` for `holder` until now + ttlMs; false when another holds it. */
export async function takeLease(
  db: DbOrTx,
  name: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const expires_at = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto("leases")
    .values({ name, holder, expires_at })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ holder, expires_at })
        .where((eb) =>
          eb.or([eb("leases.expires_at", "<=", now.toISOString()), eb("leases.holder", "=", holder)]),
        ),
    )
    .execute();
  const row = await db.selectFrom("leases").select("holder").where("name", "=", name).executeTakeFirst();
  return row?.holder === holder;
}

/** Gives the lease back (only if `holder` still has it), so the next instance need not wait for expiry. */
export async function releaseLease(db: DbOrTx, name: string, holder: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
}
