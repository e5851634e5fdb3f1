import type { AuditEventRow, DbOrTx } from "../db/database";

// Security events, kept for the account's admins to read at /audit.

export const AUDIT_EVENTS = [
  "sign_in",
  "sign_in_failed",
  "user_locked",
  "sign_out",
  "portal_sign_in",
  "portal_sign_in_failed",
  "cancel_requested",
  "cancel_password_failed",
  "cancel_locked",
  "csrf_rejected",
  "engine_token_failed",
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export const AUDIT_EVENT_LABELS: Record<AuditEvent, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  user_locked: "User temporarily locked",
  sign_out: "Signed out",
  portal_sign_in: "Signed in through the portal",
  portal_sign_in_failed: "Portal sign-in refused",
  cancel_requested: "Cancel requested",
  cancel_password_failed: "Cancel: wrong password",
  cancel_locked: "Cancel: too many wrong passwords in a session",
  csrf_rejected: "Request refused (CSRF check)",
  engine_token_failed: "Engine API token refused",
};

export type AuditEntry = {
  accountId: number | null;
  event: AuditEvent;
  at: string;
  userId?: number | null;
  email?: string | null;
  ip?: string | null;
  detail?: string | null;
};

export async function recordAudit(db: DbOrTx, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      account_id: e.accountId,
      event: e.event,
      at: e.at,
      user_id: e.userId ?? null,
      email: e.email ?? null,
      ip: e.ip ?? null,
      detail: e.detail ? e.detail.slice(0, 500) : null,
    })
    .execute();
}

/** One page of an account's audit log, newest first. */
export async function listAudit(
  db: DbOrTx,
  accountId: number,
  options: { events: readonly AuditEvent[]; beforeId: number | null; limit: number },
): Promise<{ entries: AuditEventRow[]; nextBeforeId: number | null }> {
  let q = db
    .selectFrom("audit_events")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id", "desc")
    .limit(options.limit + 1);
  if (options.events.length) q = q.where("event", "in", options.events);
  if (options.beforeId !== null) q = q.where("id", "<", options.beforeId);
  const rows = await q.execute();
  const entries = rows.slice(0, options.limit);
  return { entries, nextBeforeId: rows.length > options.limit ? entries[entries.length - 1]!.id : null };
}
