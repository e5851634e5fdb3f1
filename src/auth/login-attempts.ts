import { MINUTE } from "../clock";
import type { DbOrTx } from "../db/database";
import { inTransaction } from "../db/transaction";

// Failed password attempts: at sign-in per e-mail address, in the cancel dialog per session. After a few
// failures each further one locks for longer, up to a short cap, so an attacker can slow a user down but
// not shut them out for long. The count fades after a quiet half hour.
//
// The two counters are separate on purpose. Anyone can send wrong passwords for an e-mail to the sign-in
// form; if those locked the cancel dialog too, a stranger could stop a signed-in admin from cancelling a
// restore. Guessing in the cancel dialog needs the session itself, so its own counter limits exactly
// the one who holds it.

export const FREE_FAILURES = 4;
export const MAX_LOCK_MS = 5 * MINUTE;
const FORGET_AFTER_MS = 30 * MINUTE;

/** How long an address is locked after its n-th failure in a row: none, then 15 s doubling to 5 min. */
export function lockAfterFailures(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(15_000 * 2 ** (failures - FREE_FAILURES - 1), MAX_LOCK_MS);
}

/** When the address may try again, or null if it may now. */
export async function lockedUntil(db: DbOrTx, email: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom("login_attempts")
    .select("locked_until")
    .where("email", "=", email)
    .executeTakeFirst();
  if (!row?.locked_until) return null;
  const until = new Date(row.locked_until);
  return until > now ? until : null;
}

/** Counts a failure; returns the lock it causes, if any. */
export async function recordFailure(
  db: DbOrTx,
  email: string,
  now: Date,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const row = await db.selectFrom("login_attempts").selectAll().where("email", "=", email).executeTakeFirst();
  const recent = row && now.getTime() - new Date(row.last_failed_at).getTime() < FORGET_AFTER_MS;
  const failures = recent ? row.failures + 1 : 1;
  const lockMs = lockAfterFailures(failures);
  const until = lockMs ? new Date(now.getTime() + lockMs) : null;
  const values = { failures, last_failed_at: now.toISOString(), locked_until: until?.toISOString() ?? null };
  await db
    .insertInto("login_attempts")
    .values({ email, ...values })
    .onConflict((oc) => oc.column("email").doUpdateSet(values))
    .execute();
  return { failures, lockedUntil: until };
}

export async function clearFailures(db: DbOrTx, email: string): Promise<void> {
  await db.deleteFrom("login_attempts").where("email", "=", email).execute();
}

// A flood of failed attempts from one address is slowed too, whatever e-mails it tries. Only failures
// count, so many colleagues signing in through one office address are never throttled.
export const IP_WINDOW_MS = 10 * MINUTE;
export const IP_MAX_FAILURES = 30;

/** When an IP may try again, or null if it may now. */
export async function ipLockedUntil(db: DbOrTx, ip: string, now: Date): Promise<Date | null> {
  const row = await db.selectFrom("ip_throttle").selectAll().where("ip", "=", ip).executeTakeFirst();
  if (!row || row.attempts < IP_MAX_FAILURES) return null;
  const until = new Date(new Date(row.window_start).getTime() + IP_WINDOW_MS);
  return until > now ? until : null;
}

/** Counts a failed attempt from an IP. */
export async function recordIpFailure(db: DbOrTx, ip: string, now: Date): Promise<void> {
  const row = await db.selectFrom("ip_throttle").selectAll().where("ip", "=", ip).executeTakeFirst();
  const fresh = !row || now.getTime() - new Date(row.window_start).getTime() >= IP_WINDOW_MS;
  const values = {
    window_start: fresh ? now.toISOString() : row.window_start,
    attempts: fresh ? 1 : row.attempts + 1,
  };
  await db
    .insertInto("ip_throttle")
    .values({ ip, ...values })
    .onConflict((oc) => oc.column("ip").doUpdateSet(values))
    .execute();
}

/**
 * Whether this user has signed in from this address before (in the last 90 days). A lock caused by
 * someone else's wrong passwords does not stop the user at an address they are known to use, so an
 * attacker can slow a user down elsewhere but never lock them out.
 */
export async function knownAddress(db: DbOrTx, email: string, ip: string, now: Date): Promise<boolean> {
  if (ip === "unknown") return false;
  const row = await db
    .selectFrom("audit_events")
    .select("id")
    .where("email", "=", email)
    .where("ip", "=", ip)
    .where("event", "in", ["sign_in", "portal_sign_in"])
    .where("at", ">=", new Date(now.getTime() - 90 * 24 * 3_600_000).toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Counts a try of the password in a session's cancel dialog before the password is checked, so that
 * tries sent in parallel (or to other instances) cannot slip past the lock while the slow hash runs:
 * the count, the check of the lock and the new lock are one transaction. Returns the lock that refuses
 * this try, or null and the lock this try starts should it turn out wrong. A right password then calls
 * clearCancelAttempts.
 */
export async function claimCancelAttempt(
  db: DbOrTx,
  sessionId: number,
  now: Date,
): Promise<{ refusedUntil: Date | null; lockedIfWrong: Date | null }> {
  const at = now.toISOString();
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  return inTransaction(db, async (trx) => {
    // The write comes first, so the transaction holds the write lock from its first statement.
    const counted = await trx
      .updateTable("sessions")
      .set((eb) => ({
        cancel_failures: eb
          .case()
          .when("cancel_last_failed_at", ">=", forgetBefore)
          .then(eb("cancel_failures", "+", 1))
          .else(1)
          .end(),
        cancel_last_failed_at: at,
      }))
      .where("id", "=", sessionId)
      .where((eb) => eb.or([eb("cancel_locked_until", "is", null), eb("cancel_locked_until", "<=", at)]))
      .returning("cancel_failures")
      .executeTakeFirst();
    if (!counted) {
      const row = await trx
        .selectFrom("sessions")
        .select("cancel_locked_until")
        .where("id", "=", sessionId)
        .executeTakeFirst();
      // A session that has just ended is refused for as long as a lock would last.
      const until = row?.cancel_locked_until ?? new Date(now.getTime() + MAX_LOCK_MS).toISOString();
      return { refusedUntil: new Date(until), lockedIfWrong: null };
    }
    const lockMs = lockAfterFailures(counted.cancel_failures);
    const until = lockMs ? new Date(now.getTime() + lockMs) : null;
    if (until) {
      await trx
        .updateTable("sessions")
        .set({ cancel_locked_until: until.toISOString() })
        .where("id", "=", sessionId)
        .execute();
    }
    return { refusedUntil: null, lockedIfWrong: until };
  });
}

/** A right password in the cancel dialog: the session's count starts again. */
export async function clearCancelAttempts(db: DbOrTx, sessionId: number): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ cancel_failures: 0, cancel_last_failed_at: null, cancel_locked_until: null })
    .where("id", "=", sessionId)
    .execute();
}
