import { hashPassword } from "../auth/passwords";
import { SESSION_COOKIE } from "../auth/sessions";
import { createUser } from "../auth/users.repository";
import { LOGIN_CSRF_COOKIE } from "../web/pages";
import type { createTestApp } from "./test-app";

// A "signed-in user" for route tests: a user with a password, signed in through the real POST /login
// (login CSRF cookie + token, Origin header), with a cookie jar and get/post helpers that send what a
// browser would: the cookies, the session's CSRF token and the Origin. No network: app.request() only.

export type TestService = Awaited<ReturnType<typeof createTestApp>>;

export const ORIGIN = "http://localhost";
export const DEFAULT_PASSWORD = "correct horse battery staple";

export type RequestOptions = {
  /** Extra request headers (they win over the defaults). */
  headers?: Record<string, string>;
  /** Sends HX-Request: true (and, when given, HX-Target). */
  htmx?: boolean | { target?: string; currentUrl?: string };
  /** The client's IP address as the socket would report it (clientIp reads it from env.incoming). */
  ip?: string;
  /** Origin header for POSTs; null sends none. Defaults to the session's origin. */
  origin?: string | null;
  /** Whether to send the cookie jar (default true). */
  cookies?: boolean;
  /** Whether post() adds the session's CSRF token as the `_csrf` form field (default true). */
  csrf?: boolean;
};

/** A tiny cookie jar: name → value; deletions (Max-Age=0 or a past Expires) remove the cookie. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines seen last, for attribute checks. */
  lastSetCookie: string[] = [];

  store(res: Response): void {
    const lines = res.headers.getSetCookie();
    if (lines.length) this.lastSetCookie = lines;
    for (const line of lines) {
      const [pair, ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = decodeURIComponent(pair!.slice(eq + 1));
      const gone = attrs.some((a) => {
        const [k, v] = a.split("=");
        if (k?.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k?.toLowerCase() === "expires") return new Date(v ?? "").getTime() < Date.now();
        return false;
      });
      if (gone || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Creates a user with a password (hashed with the test config's cheap scrypt cost). */
export async function createPasswordUser(
  t: TestService,
  accountId: number,
  email = "admin@example.com",
  password = DEFAULT_PASSWORD,
) {
  const passwordHash = await hashPassword(password, t.config.scryptLog2N);
  const user = await createUser(t.db, {
    accountId,
    email,
    passwordHash,
    now: t.clock.now().toISOString(),
  });
  return { user, email: user.email, password };
}

/** The hidden `_csrf` field of a form, or the X-CSRF-Token htmx sends from the body's hx-headers. */
export function csrfTokenIn(html: string): string | null {
  const field = /name="_csrf"\s+value="([^"]+)"/.exec(html);
  if (field) return field[1]!;
  const header = /X-CSRF-Token(?:&#34;|&quot;|")\s*:\s*(?:&#34;|&quot;|")([A-Za-z0-9_-]+)/.exec(html);
  return header ? header[1]! : null;
}

/** A browser: a cookie jar plus request helpers that send cookies, Origin and the CSRF token. */
export class Browser {
  readonly jar = new CookieJar();
  csrfToken: string | null = null;

  constructor(
    readonly t: TestService,
    readonly origin = ORIGIN,
  ) {}

  /** A path under the base path ("/jobs" → "/backup/job-monitor/jobs"); full paths are kept. */
  url(path: string): string {
    const base = this.t.config.basePath;
    if (/^https?:/.test(path)) return path;
    if (!base || path === base || path.startsWith(`${base}/`)) return path;
    return `${base}${path}`;
  }

  async request(method: string, path: string, body?: BodyInit, options: RequestOptions = {}) {
    const headers: Record<string, string> = {};
    if (options.cookies !== false && this.jar.cookies.size) headers.cookie = this.jar.header();
    if (options.htmx) {
      headers["hx-request"] = "true";
      if (typeof options.htmx === "object") {
        if (options.htmx.target) headers["hx-target"] = options.htmx.target;
        if (options.htmx.currentUrl) headers["hx-current-url"] = options.htmx.currentUrl;
      }
    }
    if (method !== "GET" && method !== "HEAD") {
      const origin = options.origin === undefined ? this.origin : options.origin;
      if (origin) headers.origin = origin;
    }
    Object.assign(headers, options.headers);
    const target = this.url(path);
    const input = /^https?:/.test(target) ? target : `${this.origin}${target}`;
    const env = options.ip ? { incoming: { socket: { remoteAddress: options.ip } } } : undefined;
    const res = await this.t.app.request(input, { method, headers, body }, env);
    this.jar.store(res);
    return res;
  }

  get(path: string, options: RequestOptions = {}) {
    return this.request("GET", path, undefined, options);
  }

  /** A form POST (application/x-www-form-urlencoded) carrying `_csrf` unless told otherwise. */
  post(path: string, form: Record<string, string> = {}, options: RequestOptions = {}) {
    const fields = { ...form };
    if (options.csrf !== false && this.csrfToken && fields._csrf === undefined) fields._csrf = this.csrfToken;
    return this.request("POST", path, new URLSearchParams(fields), {
      ...options,
      headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
    });
  }

  /** Opens the sign-in page: sets the login CSRF cookie and returns the form's token. */
  async openLogin(): Promise<string | null> {
    const res = await this.get("/login");
    return csrfTokenIn(await res.text());
  }

  /** Signs in through the form; returns the answer (303 on success). */
  async submitLogin(email: string, password: string, options: RequestOptions & { next?: string } = {}) {
    // Signed in already, the sign-in page redirects and the session's token is the one that counts.
    const token = (await this.openLogin()) ?? this.csrfToken;
    if (!token) throw new Error("no CSRF token on the sign-in page");
    const form: Record<string, string> = { email, password, _csrf: token };
    if (options.next) form.next = options.next;
    return this.post("/login", form, options);
  }

  /** Reads the session's CSRF token the way a page gives it to the browser. */
  async refreshCsrfToken(): Promise<string> {
    const res = await this.get("/settings");
    const token = csrfTokenIn(await res.text());
    if (res.status !== 200 || !token) throw new Error(`not signed in (GET /settings → ${res.status})`);
    this.csrfToken = token;
    return token;
  }

  get sessionCookie(): string | undefined {
    return this.jar.cookies.get(SESSION_COOKIE);
  }

  get loginCsrfCookie(): string | undefined {
    return this.jar.cookies.get(LOGIN_CSRF_COOKIE);
  }
}

export type SignedInUser = Browser & {
  email: string;
  password: string;
  userId: number;
  accountId: number;
};

/** Creates a user in the account and signs them in through POST /login. */
export async function signIn(
  t: TestService,
  accountId: number,
  options: { email?: string; password?: string; origin?: string } = {},
): Promise<SignedInUser> {
  const { user, email, password } = await createPasswordUser(t, accountId, options.email, options.password);
  const browser = new Browser(t, options.origin);
  const res = await browser.submitLogin(email, password);
  if (res.status !== 303 || !browser.sessionCookie) {
    throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  }
  await browser.refreshCsrfToken();
  return Object.assign(browser, { email, password, userId: user.id, accountId });
}

/** Signs the same user in again (after the clock has moved past the session's limits). */
export async function signInAgain(u: SignedInUser): Promise<SignedInUser> {
  u.csrfToken = null;
  const res = await u.submitLogin(u.email, u.password);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  await u.refreshCsrfToken();
  return u;
}

/** A browser with no one signed in. */
export function anonymous(t: TestService, origin?: string): Browser {
  return new Browser(t, origin);
}
