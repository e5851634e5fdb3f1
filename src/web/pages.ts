import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { ViewContext } from "../../views/view-context";
import { recordAudit } from "../audit/audit.repository";
import { loadSession, type SignedIn, sessionLimits, sessionToken } from "../auth/sessions";
import type { AppDeps } from "../context";
import { describeTimeZone, isValidTimeZone } from "../format";
import { clientIp, requestOrigin } from "./client";
import { takeFlash } from "./flash";

// What every page route shares: who is signed in, the CSRF checks, and the context views render with.

export type PageEnv = {
  Variables: {
    session: SignedIn | null;
    embed: boolean;
  };
};

export const TIME_ZONE_COOKIE = "jm_tz";
export const THEME_COOKIE = "jm_theme";
export const LOGIN_CSRF_COOKIE = "jm_login_csrf";

// htmx's request headers are hints a client may send anything in: each is read only through these,
// and a value that does not make sense is treated as if the header were absent.

/** Whether the request came from htmx (fragment answers differ, and say so with Vary). */
export function isHtmx(c: Context): boolean {
  return c.req.header("hx-request") === "true" && c.req.header("hx-history-restore-request") !== "true";
}

/** The page htmx says the user is on (HX-Current-URL), or null when absent, malformed or off this site. */
export function htmxCurrentUrl(c: Context, config: AppDeps["config"]): URL | null {
  const value = c.req.header("hx-current-url");
  if (!value) return null;
  // htmx always sends the page's full URL; anything else did not come from it.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.origin === requestOrigin(c, config) ? url : null;
}

/** The element htmx swaps the answer into (HX-Target), or null. */
export function htmxTarget(c: Context): string | null {
  return c.req.header("hx-target") || null;
}

/** Reads the session cookie; polling (X-Background) does not count as activity. */
export function sessionLoader({ db, clock, config }: AppDeps): MiddlewareHandler<PageEnv> {
  const limits = sessionLimits(config);
  return async (c, next) => {
    const token = sessionToken(c);
    const activity = c.req.header("x-background") !== "1";
    c.set("session", token ? await loadSession(db, token, clock.now(), limits, activity) : null);
    await next();
  };
}

/** The sign-in page, coming back to where the user was. */
export function loginUrl(c: Context, config: AppDeps["config"], embed: boolean): string {
  const back = (isHtmx(c) ? htmxCurrentUrl(c, config) : null) ?? new URL(c.req.url);
  const next = back.pathname + back.search;
  return `${config.basePath}${embed ? "/embed" : ""}/login?next=${encodeURIComponent(next)}`;
}

/** Pages, fragments and downloads need a signed-in user; others are sent to sign in. */
export function requireSession(config: AppDeps["config"]): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    if (c.get("session")) return next();
    const login = loginUrl(c, config, c.get("embed"));
    if (c.req.header("hx-request") === "true") {
      // htmx follows HX-Redirect whatever the status, so an expired session during polling lands on the
      // sign-in page instead of failing silently.
      c.header("HX-Redirect", login);
      return c.text("Your session has ended. Sign in again.", 401);
    }
    return c.redirect(login, 302);
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every state-changing request passes two checks: the browser's Origin / Sec-Fetch-Site (Hono's csrf())
 * and a secret token bound to the session (a form field, or a header for htmx). Sign-in, which has no
 * session yet, binds its token to a short-lived cookie instead.
 */
export function csrfProtection(
  { db, clock, config }: AppDeps,
  exempt: (path: string) => boolean,
): MiddlewareHandler<PageEnv> {
  // The browser's Origin is compared with the origin it sees, which behind a TLS proxy is https://.
  const originCheck = csrf({ origin: (origin, c) => origin === requestOrigin(c, config) });
  return async (c, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(c.req.method) || exempt(c.req.path)) return next();
    // Signing out of a session that has already ended changes nothing: let it reach the sign-in page.
    if (!c.get("session") && c.req.path.endsWith("/logout")) return next();
    let originOk = true;
    try {
      await originCheck(c, async () => {});
    } catch (e) {
      if (!(e instanceof HTTPException)) throw e;
      originOk = false;
    }
    const session = c.get("session");
    const expected = session ? session.csrfToken : getCookie(c, LOGIN_CSRF_COOKIE);
    let presented = c.req.header("x-csrf-token");
    if (!presented && /form/i.test(c.req.header("content-type") ?? "")) {
      const form = await c.req.parseBody();
      presented = typeof form._csrf === "string" ? form._csrf : undefined;
    }
    const tokenOk = Boolean(expected && presented && sameToken(expected, presented));
    if (originOk && tokenOk) return next();
    await recordAudit(db, {
      accountId: session?.account.id ?? null,
      event: "csrf_rejected",
      at: clock.now().toISOString(),
      userId: session?.user.id ?? null,
      email: session?.user.email ?? null,
      ip: clientIp(c, config),
      detail: `${c.req.method} ${c.req.path}: ${originOk ? "token missing or wrong" : "cross-site origin"}`,
    });
    return c.text(
      "This form has expired or did not come from this site. Reload the page and try again.",
      403,
    );
  };
}

/** The context views render with, from the request, the session and the settings. */
export function viewContext(
  c: Context<PageEnv>,
  deps: AppDeps,
  assets: Readonly<Record<string, string>>,
): ViewContext {
  const session = c.get("session");
  const embed = c.get("embed");
  const fromCookie = getCookie(c, TIME_ZONE_COOKIE);
  const browserZone = fromCookie && isValidTimeZone(fromCookie) ? fromCookie : null;
  const timeZone = session?.user.timeZone ?? browserZone ?? "UTC";
  const now = deps.clock.now();
  const themeCookie = getCookie(c, THEME_COOKIE);
  return {
    flash: takeFlash(c, deps.config),
    base: deps.config.basePath,
    root: `${deps.config.basePath}${embed ? "/embed" : ""}`,
    embed,
    assets,
    csrfToken: session?.csrfToken ?? null,
    user: session ? { email: session.user.email } : null,
    account: session ? { name: session.account.name, serviceId: session.account.serviceId } : null,
    timeZone,
    zoneLabel: describeTimeZone(timeZone, now),
    zoneFromSetting: Boolean(session?.user.timeZone),
    refreshSeconds: deps.config.refreshSeconds,
    now: now.toISOString(),
    theme: themeCookie === "light" || themeCookie === "dark" ? themeCookie : "auto",
  };
}

/** Sends rendered HTML. Answers that differ for htmx say so, so caches keep them apart. */
export async function html(
  c: Context,
  body: JSX.Element,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 410 | 429 = 200,
) {
  c.header("Vary", "HX-Request");
  c.header("Content-Type", "text/html; charset=UTF-8");
  // Bytes rather than a string: a string body is scanned for lone surrogates on its way out, which for a
  // full page costs as much as rendering a tenth of it.
  const bytes = Buffer.from(await body);
  // With its length known, the compress middleware leaves a small fragment (a polled row) as it is.
  c.header("Content-Length", String(bytes.length));
  return c.body(bytes, status);
}
