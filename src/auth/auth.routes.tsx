import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { LoginPage, type LoginPageData } from "../../views/pages/login-page";
import { recordAudit } from "../audit/audit.repository";
import type { AppDeps } from "../context";
import { clientIp } from "../web/client";
import { formText } from "../web/forms";
import { html, LOGIN_CSRF_COOKIE, type PageEnv, viewContext } from "../web/pages";
import {
  clearFailures,
  ipLockedUntil,
  knownAddress,
  lockedUntil,
  recordFailure,
  recordIpFailure,
} from "./login-attempts";
import { decoyHash, MAX_PASSWORD_LENGTH, verifyPassword } from "./passwords";
import {
  clearSessionCookie,
  cookieAttributes,
  endSession,
  sessionToken,
  setSessionCookie,
  startSession,
} from "./sessions";
import { findUserByEmail, normalizeEmail } from "./users.repository";

/** How long until a moment, in words: "2 minutes", "40 seconds". */
export function waitText(until: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Only paths inside the product are followed after sign-in; anything else goes to the Job Monitor. */
export function safeNext(next: string | undefined, basePath: string): string {
  const fallback = `${basePath}/jobs`;
  if (!next?.startsWith(`${basePath}/`) || next.startsWith("//") || /[\\\s]/.test(next)) return fallback;
  if (/^\/[^/]*\/\//.test(next) || next.includes("/login") || next.includes("/logout")) return fallback;
  return next;
}

export function authRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, clock, config } = deps;
  const routes = new Hono<PageEnv>();

  function loginCsrf(c: Context<PageEnv>): string {
    const existing = getCookie(c, LOGIN_CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString("base64url");
    setCookie(c, LOGIN_CSRF_COOKIE, token, {
      ...cookieAttributes(c, config),
      maxAge: 3600,
    });
    return token;
  }

  function page(c: Context<PageEnv>, data: Partial<LoginPageData>, status: 200 | 400 | 401 | 429 = 200) {
    const ctx = viewContext(c, deps, assets);
    const full: LoginPageData = {
      email: "",
      next: safeNext(c.req.query("next"), `${config.basePath}${c.get("embed") ? "/embed" : ""}`),
      csrfToken: loginCsrf(c),
      error: null,
      fieldErrors: {},
      notice: null,
      ...data,
    };
    return html(c, <LoginPage ctx={ctx} data={full} />, status);
  }

  routes.get("/login", (c) => {
    if (c.get("session")) return c.redirect(safeNext(c.req.query("next"), config.basePath), 302);
    const notice = c.req.query("signed_out") === "1" ? "You have signed out." : null;
    return page(c, { notice });
  });

  routes.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const email = normalizeEmail(formText(form, "email") ?? "");
    const password = formText(form, "password") ?? "";
    const root = `${config.basePath}${c.get("embed") ? "/embed" : ""}`;
    const next = safeNext(formText(form, "next"), root);
    const now = clock.now();
    const ip = clientIp(c, config);

    const fieldErrors: LoginPageData["fieldErrors"] = {};
    if (!email) fieldErrors.email = "Enter your e-mail address.";
    else if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))
      fieldErrors.email = "Enter a valid e-mail address.";
    if (!password) fieldErrors.password = "Enter your password.";
    else if (password.length > MAX_PASSWORD_LENGTH) fieldErrors.password = "This password is too long.";
    if (fieldErrors.email || fieldErrors.password) return page(c, { email, next, fieldErrors }, 400);

    const ipWait = await ipLockedUntil(db, ip, now);
    if (ipWait) {
      return page(
        c,
        {
          email,
          next,
          error: `Too many sign-in attempts from your network. Try again in ${waitText(ipWait, now)}.`,
        },
        429,
      );
    }
    const locked = await lockedUntil(db, email, now);
    if (locked && !(await knownAddress(db, email, ip, now))) {
      return page(
        c,
        {
          email,
          next,
          error: `Too many failed attempts for this e-mail. Try again in ${waitText(locked, now)}.`,
        },
        429,
      );
    }

    const user = await findUserByEmail(db, email);
    // An unknown e-mail is checked against a decoy hash, so both answers take the same time.
    const matches = await verifyPassword(
      password,
      user?.password_hash ?? (await decoyHash(config.scryptLog2N)),
    );
    if (!user || !matches) {
      await recordIpFailure(db, ip, now);
      const failure = await recordFailure(db, email, now);
      const at = now.toISOString();
      await recordAudit(db, {
        accountId: user?.account_id ?? null,
        event: "sign_in_failed",
        at,
        userId: user?.id,
        email,
        ip,
      });
      if (failure.lockedUntil) {
        await recordAudit(db, {
          accountId: user?.account_id ?? null,
          event: "user_locked",
          at,
          userId: user?.id,
          email,
          ip,
        });
        return page(
          c,
          {
            email,
            next,
            error: `Too many failed attempts for this e-mail. Try again in ${waitText(failure.lockedUntil, now)}.`,
          },
          429,
        );
      }
      return page(c, { email, next, error: "The e-mail or password is not right." }, 401);
    }

    await clearFailures(db, email);
    // A new session ID at every sign-in: a session fixed before sign-in is worth nothing after it.
    const old = sessionToken(c);
    if (old) await endSession(db, old);
    const token = await startSession(db, user.id, now);
    setSessionCookie(c, config, token);
    await recordAudit(db, {
      accountId: user.account_id,
      event: "sign_in",
      at: now.toISOString(),
      userId: user.id,
      email,
      ip,
    });
    return c.redirect(next, 303);
  });

  routes.post("/logout", async (c) => {
    const session = c.get("session");
    const token = sessionToken(c);
    if (token) await endSession(db, token);
    clearSessionCookie(c, config);
    if (session) {
      await recordAudit(db, {
        accountId: session.account.id,
        event: "sign_out",
        at: clock.now().toISOString(),
        userId: session.user.id,
        email: session.user.email,
        ip: clientIp(c, config),
      });
    }
    return c.redirect(`${config.basePath}${c.get("embed") ? "/embed" : ""}/login?signed_out=1`, 303);
  });

  return routes;
}
