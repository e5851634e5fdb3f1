import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config";
import type { DbOrTx } from "../db/database";
import { requestIsHttps } from "../web/client";

// Sessions live in the database, so any instance can serve any request and a sign-out ends the session
// everywhere. The cookie holds 256 random bits; the database holds only their SHA-256.

export const SESSION_COOKIE = "jm_session";
/**
 * Activity less than this apart is not written again. The idle limit is measured from the last write,
 * so this is how much earlier than the setting a session may end: a second, even for a 1-minute limit
 * (a write a minute once signed out a user who had been active 59 seconds before). One write a second
 * at most per session is nothing next to the page it comes with.
 */
const TOUCH_EVERY_MS = 1_000;

export type SignedIn = {
  sessionId: number;
  csrfToken: string;
  user: { id: number; email: string; timeZone: string | null };
  account: { id: number; serviceId: string; name: string };
};

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function startSession(db: DbOrTx, userId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("sessions")
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      csrf_token: randomBytes(32).toString("base64url"),
      created_at: now.toISOString(),
      last_active_at: now.toISOString(),
    })
    .execute();
  return token;
}

export type SessionLimits = { idleMs: number; absoluteMs: number };

export function sessionLimits(config: Config): SessionLimits {
  return { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionAbsoluteHours * 3_600_000 };
}

/**
 * The signed-in user behind a session token, or null if there is none or it has expired (idle too long,
 * or older than the absolute limit). `activity` false (background polling) does not extend the session.
 */
export async function loadSession(
  db: DbOrTx,
  token: string,
  now: Date,
  limits: SessionLimits,
  activity: boolean,
): Promise<SignedIn | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.created_at",
      "sessions.last_active_at",
      "users.id as user_id",
      "users.email",
      "users.time_zone",
      "accounts.id as account_id",
      "accounts.service_id",
      "accounts.name as account_name",
    ])
    .where("sessions.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const t = now.getTime();
  const idle = t - new Date(row.last_active_at).getTime() >= limits.idleMs;
  const old = t - new Date(row.created_at).getTime() >= limits.absoluteMs;
  if (idle || old) {
    await db.deleteFrom("sessions").where("id", "=", row.session_id).execute();
    return null;
  }
  if (activity && t - new Date(row.last_active_at).getTime() >= TOUCH_EVERY_MS) {
    await db
      .updateTable("sessions")
      .set({ last_active_at: now.toISOString() })
      .where("id", "=", row.session_id)
      .execute();
  }
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    user: { id: row.user_id, email: row.email, timeZone: row.time_zone },
    account: { id: row.account_id, serviceId: row.service_id, name: row.account_name },
  };
}

export async function endSession(db: DbOrTx, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
}

export async function purgeExpiredSessions(db: DbOrTx, now: Date, limits: SessionLimits): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where((eb) =>
      eb.or([
        eb("last_active_at", "<", new Date(now.getTime() - limits.idleMs).toISOString()),
        eb("created_at", "<", new Date(now.getTime() - limits.absoluteMs).toISOString()),
      ]),
    )
    .execute();
}

/**
 * The attributes of every cookie the service sets. Secure follows COOKIE_SECURE; with `auto` it is set
 * when the browser reached the service over HTTPS, directly or through a trusted proxy that terminates it.
 */
export function cookieAttributes(c: Context, config: Config) {
  const https = requestIsHttps(c, config);
  const secure =
    config.cookieSecure === "always" ||
    (config.cookieSecure === "auto" && https) ||
    config.cookieSameSite === "none";
  return {
    path: config.basePath || "/",
    httpOnly: true,
    secure,
    sameSite: config.cookieSameSite === "none" ? ("None" as const) : ("Lax" as const),
    // A monitor framed by a portal on another site needs a partitioned (CHIPS) cookie.
    ...(config.cookieSameSite === "none" ? { partitioned: true } : {}),
  };
}

export function setSessionCookie(c: Context, config: Config, token: string): void {
  setCookie(c, SESSION_COOKIE, token, cookieAttributes(c, config));
}

export function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, SESSION_COOKIE, cookieAttributes(c, config));
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
