import { afterEach, describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../clock";
import { loadConfig } from "../config";
import { anonymous, Browser, createPasswordUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { IP_MAX_FAILURES, MAX_LOCK_MS } from "./login-attempts";
import { hashPassword, verifyPassword } from "./passwords";
import { SESSION_COOKIE } from "./sessions";

// Sign-in, sessions and sign-out over HTTP (issue 5 §1, §4, §6): cookies, fixation, expiry with an
// injected clock, the same answer for unknown users and wrong passwords, locks, throttling, audit.

let t: TestService;
afterEach(async () => {
  await t?.close();
});

async function service(overrides: Parameters<typeof createTestApp>[0] = {}) {
  t = await createTestApp({ scryptLog2N: 12, ...overrides });
  const { account } = await t.addAccount("SVC-1");
  return { t, account };
}

const cookieLine = (lines: string[], name: string) => lines.find((l) => l.startsWith(`${name}=`));

async function audit(event?: string) {
  const rows = await t.db.selectFrom("audit_events").selectAll().orderBy("id").execute();
  return event ? rows.filter((r) => r.event === event) : rows;
}

/** Whether the browser's session still opens the Job Monitor (200) or is sent to sign in (302). */
async function stillSignedIn(b: Browser, headers: Record<string, string> = {}): Promise<boolean> {
  const res = await b.get("/jobs", { headers });
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toMatch(/\/login\?next=/);
  return false;
}

describe("signing in", () => {
  it("redirects to the Job Monitor and sets an HttpOnly, SameSite=Lax session cookie at Path=/", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    const res = await b.submitLogin(email, password);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/jobs");
    const line = cookieLine(res.headers.getSetCookie(), SESSION_COOKIE);
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect(line).toMatch(/;\s*Path=\/(;|$)/);
    expect(line).not.toMatch(/;\s*Secure/i);
    // 256 random bits, base64url.
    expect(b.sessionCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await b.get("/jobs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
  });

  it("stores only a hash of the session ID in the database", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    const rows = await t.db.selectFrom("sessions").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(u.sessionCookie!);
  });

  it("scopes the cookies to the base path when mounted under one", async () => {
    const { account } = await service({ basePath: "/backup/job-monitor" });
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    const login = await b.get("/login");
    expect(login.status).toBe(200);
    expect(cookieLine(login.headers.getSetCookie(), "jm_login_csrf")).toMatch(
      /;\s*Path=\/backup\/job-monitor(;|$)/,
    );
    const res = await b.submitLogin(email, password);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/backup/job-monitor/jobs");
    const line = cookieLine(res.headers.getSetCookie(), SESSION_COOKIE)!;
    expect(line).toMatch(/;\s*Path=\/backup\/job-monitor(;|$)/);
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect((await b.get("/backup/job-monitor/jobs")).status).toBe(200);
    // Nothing answers outside the base path.
    expect((await b.get("http://localhost/jobs")).status).toBe(404);
  });

  it("marks the cookie Secure when served over HTTPS", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = new Browser(t, "https://monitor.example.com");
    const res = await b.submitLogin(email, password);
    expect(res.status).toBe(303);
    expect(cookieLine(res.headers.getSetCookie(), SESSION_COOKIE)).toMatch(/;\s*Secure/i);
  });

  it("goes back to the page that asked for sign-in, but never off the site", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const first = await anonymous(t).get("/jobs?status=cancelled");
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/jobs?status=cancelled")}`);
    const b = anonymous(t);
    const res = await b.submitLogin(email, password, { next: "/jobs?status=cancelled" });
    expect(res.headers.get("location")).toBe("/jobs?status=cancelled");
    for (const next of ["//evil.example/jobs", "https://evil.example/", "/\\evil.example"]) {
      const other = anonymous(t);
      const r = await other.submitLogin(email, password, { next });
      expect(r.status).toBe(303);
      expect(r.headers.get("location")).toBe("/jobs");
    }
  });

  it("gives a new session ID at sign-in: a session cookie held before no longer works after", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    const before = u.sessionCookie!;
    expect(await stillSignedIn(u)).toBe(true);

    // Sign in again in the same browser, with the old (valid) session cookie sent along.
    const res = await u.submitLogin(u.email, u.password);
    expect(res.status).toBe(303);
    const after = u.sessionCookie!;
    expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after).not.toBe(before);
    expect(await stillSignedIn(u)).toBe(true);

    const planted = new Browser(t);
    planted.jar.cookies.set(SESSION_COOKIE, before);
    expect(await stillSignedIn(planted)).toBe(false);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toHaveLength(1);
  });

  it("ignores a made-up session cookie and issues its own ID", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    const fixed = "A".repeat(43);
    b.jar.cookies.set(SESSION_COOKIE, fixed);
    expect(await stillSignedIn(b)).toBe(false);
    const res = await b.submitLogin(email, password);
    expect(res.status).toBe(303);
    expect(b.sessionCookie).not.toBe(fixed);
    expect(await stillSignedIn(b)).toBe(true);
  });

  it("redirects a signed-in user away from the sign-in page", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    const res = await u.get("/login");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/jobs");
  });
});

describe("wrong credentials", () => {
  it("answers an unknown e-mail and a wrong password the same way", async () => {
    const { account } = await service();
    const { email } = await createPasswordUser(t, account.id, "known@example.com");
    const b = anonymous(t);
    const wrong = await b.submitLogin(email, "not the password at all");
    const wrongBody = await wrong.text();
    const unknown = await b.submitLogin("unknown@example.com", "not the password at all");
    const unknownBody = await unknown.text();
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    expect(wrongBody).toContain("The e-mail or password is not right.");
    expect(unknownBody.replaceAll("unknown@example.com", "EMAIL")).toBe(
      wrongBody.replaceAll("known@example.com", "EMAIL"),
    );
    expect(b.sessionCookie).toBeUndefined();
  });

  it("takes a similar time for an unknown e-mail as for a wrong password", async () => {
    // A cost high enough that skipping the hash for unknown e-mails would show clearly.
    const { account } = await service({ scryptLog2N: 15 });
    const { email } = await createPasswordUser(t, account.id, "known@example.com");
    const b = anonymous(t);
    const token = (await b.openLogin())!;
    const time = async (who: string) => {
      const start = performance.now();
      const res = await b.post("/login", { email: who, password: "wrong password here", _csrf: token });
      expect(res.status).toBe(401);
      return performance.now() - start;
    };
    await time("warm-up@example.com"); // builds the decoy hash once
    const known: number[] = [];
    const unknown: number[] = [];
    // Four failures of the known address: one more would lock it.
    for (let i = 0; i < 4; i += 1) {
      known.push(await time(email));
      unknown.push(await time(`nobody-${i}@example.com`));
    }
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return (sorted[1]! + sorted[2]!) / 2;
    };
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
    expect(median(unknown)).toBeLessThan(median(known) * 3);
  }, 30_000);

  it("says what is missing, with 400, without counting it as a failure", async () => {
    const { account } = await service();
    const { email } = await createPasswordUser(t, account.id);
    const res = await anonymous(t).submitLogin(email, "");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter your password.");
    expect(await t.db.selectFrom("login_attempts").selectAll().execute()).toHaveLength(0);
  });
});

describe("signing out", () => {
  it("ends the session on the server, clears the cookie and says so", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    const token = u.sessionCookie!;
    const res = await u.post("/logout");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?signed_out=1");
    const cleared = cookieLine(res.headers.getSetCookie(), SESSION_COOKIE)!;
    expect(cleared).toMatch(/Max-Age=0/i);
    expect(cleared).toMatch(/;\s*Path=\/(;|$)/);
    expect(u.sessionCookie).toBeUndefined();
    expect(await (await u.get("/login?signed_out=1")).text()).toContain("You have signed out.");

    // The old cookie, replayed (say, from a copy an attacker kept), is worth nothing.
    const replay = new Browser(t);
    replay.jar.cookies.set(SESSION_COOKIE, token);
    expect(await stillSignedIn(replay)).toBe(false);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toHaveLength(0);
  });

  it("clears the cookie at the base path", async () => {
    const { account } = await service({ basePath: "/backup/job-monitor" });
    const u = await signIn(t, account.id);
    const res = await u.post("/logout");
    expect(res.headers.get("location")).toBe("/backup/job-monitor/login?signed_out=1");
    expect(cookieLine(res.headers.getSetCookie(), SESSION_COOKIE)).toMatch(
      /;\s*Path=\/backup\/job-monitor(;|$)/,
    );
  });
});

describe("session expiry (clock injected)", () => {
  it("ends a session idle for 30 minutes", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    t.clock.advance(30 * MINUTE);
    expect(await stillSignedIn(u)).toBe(false);
  });

  it("keeps a session that is used, idle time counting from the last request", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    t.clock.advance(29 * MINUTE);
    expect(await stillSignedIn(u)).toBe(true);
    t.clock.advance(29 * MINUTE);
    expect(await stillSignedIn(u)).toBe(true);
    t.clock.advance(29 * MINUTE + 59_000);
    expect(await stillSignedIn(u)).toBe(true);
    t.clock.advance(30 * MINUTE);
    expect(await stillSignedIn(u)).toBe(false);
  });

  it("measures the idle time from the last request to the second, even with a 1-minute limit", async () => {
    const { account } = await service({ sessionIdleMinutes: 1 });
    const u = await signIn(t, account.id);
    // Requests less than a minute apart, each after 59 seconds of quiet: the user never idles a minute.
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(59_000);
      expect(await stillSignedIn(u), `request ${i + 1}`).toBe(true);
    }
    // Activity a few seconds after the last one, then quiet for just under the limit.
    t.clock.advance(3_000);
    expect(await stillSignedIn(u)).toBe(true);
    t.clock.advance(58_500);
    expect(await stillSignedIn(u, { "X-Background": "1" })).toBe(true);
    t.clock.advance(1_500);
    expect(await stillSignedIn(u, { "X-Background": "1" })).toBe(false);
  });

  it("keeps a user active within the window signed in with a clock that moves on every reading", async () => {
    t = await createTestApp({ scryptLog2N: 12, sessionIdleMinutes: 1 }, { clockStepMs: 250 });
    const { account } = await t.addAccount("SVC-1");
    const u = await signIn(t, account.id);
    for (let i = 0; i < 10; i += 1) {
      t.clock.advance(50_000);
      expect(await stillSignedIn(u), `request ${i + 1}`).toBe(true);
    }
  });

  it("does not count background polling (X-Background: 1) as activity", async () => {
    const { account } = await service();
    const polled = await signIn(t, account.id, { email: "polled@example.com" });
    const used = await signIn(t, account.id, { email: "used@example.com" });
    t.clock.advance(20 * MINUTE);
    // The page polls in the background: the session answers, but is not extended.
    const poll = await polled.get("/new-jobs?since=0", { htmx: true, headers: { "X-Background": "1" } });
    expect(poll.status).toBe(200);
    expect(await stillSignedIn(used)).toBe(true);
    t.clock.advance(10 * MINUTE);
    expect(await stillSignedIn(polled, { "X-Background": "1" })).toBe(false);
    expect(await stillSignedIn(used)).toBe(true);
  });

  it("ends every session 12 hours after sign-in, however active", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE);
      expect(await stillSignedIn(u)).toBe(true);
    }
    t.clock.advance(20 * MINUTE); // exactly 12 hours
    expect(await stillSignedIn(u)).toBe(false);
  });

  it("follows configured limits", async () => {
    const { account } = await service({ sessionIdleMinutes: 5, sessionAbsoluteHours: 1 });
    const u = await signIn(t, account.id);
    t.clock.advance(4 * MINUTE);
    expect(await stillSignedIn(u)).toBe(true);
    t.clock.advance(5 * MINUTE);
    expect(await stillSignedIn(u)).toBe(false);
  });

  it("sends an htmx request of an expired session to sign in with 401 and HX-Redirect", async () => {
    const { account } = await service();
    const u = await signIn(t, account.id);
    t.clock.advance(31 * MINUTE);
    const res = await u.get("/new-jobs?since=0", {
      htmx: { currentUrl: "http://localhost/jobs?status=in_progress" },
      headers: { "X-Background": "1" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("hx-redirect")).toBe(
      `/login?next=${encodeURIComponent("/jobs?status=in_progress")}`,
    );
  });
});

describe("password hashes", () => {
  it("are scrypt at N=2^17, r=8, p=1 in production, with the parameters stored beside the hash", async () => {
    const production = loadConfig({ NODE_ENV: "production", DATABASE_URL: ":memory:" });
    expect(production.scryptLog2N).toBe(17);
    const stored = await hashPassword("a long enough password", production.scryptLog2N);
    expect(stored).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("a long enough password", stored)).toBe(true);
    expect(await verifyPassword("a long enough passworD", stored)).toBe(false);
  }, 60_000); // three hashes at 128 MiB each: slow on a busy machine

  it("are verified with the parameters stored with them, so the cost can be raised later", async () => {
    const { account } = await service({ scryptLog2N: 13 });
    // A user whose hash was made at a lower cost still signs in.
    const { email, password, user } = await createPasswordUser(t, account.id);
    expect(user.password_hash).toMatch(/^scrypt\$13\$8\$1\$/);
    const old = await hashPassword(password, 11);
    await t.db.updateTable("users").set({ password_hash: old }).where("id", "=", user.id).execute();
    const res = await anonymous(t).submitLogin(email, password);
    expect(res.status).toBe(303);
    // Two hashes of one password differ (random salt).
    expect(await hashPassword(password, 11)).not.toBe(old);
  });
});

describe("brute force", () => {
  it("locks an e-mail after repeated failures with a clear message, and lets it in after the delay", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    for (let i = 0; i < 4; i += 1) {
      expect((await b.submitLogin(email, `wrong password ${i}`)).status).toBe(401);
    }
    const fifth = await b.submitLogin(email, "wrong password 5");
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain(
      "Too many failed attempts for this e-mail. Try again in 15 seconds.",
    );

    // Even the right password waits while the lock lasts.
    t.clock.advance(10_000);
    const early = await b.submitLogin(email, password);
    expect(early.status).toBe(429);
    expect(await early.text()).toContain("Try again in 5 seconds.");
    expect(b.sessionCookie).toBeUndefined();

    t.clock.advance(5_000);
    const later = await b.submitLogin(email, password);
    expect(later.status).toBe(303);
    expect(b.sessionCookie).toBeDefined();
    // Success forgets the failures.
    expect(await t.db.selectFrom("login_attempts").selectAll().execute()).toHaveLength(0);
  });

  it("locks for longer after each further failure, but never for more than a few minutes", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    const locks: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      await b.submitLogin(email, "wrong password");
      const row = await t.db
        .selectFrom("login_attempts")
        .selectAll()
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      const lock = row.locked_until ? new Date(row.locked_until).getTime() - t.clock.now().getTime() : 0;
      locks.push(lock);
      t.clock.advance(lock);
    }
    expect(locks.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(locks.slice(4, 8)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(Math.max(...locks)).toBe(MAX_LOCK_MS);
    expect(MAX_LOCK_MS).toBeLessThanOrEqual(5 * MINUTE);
    // Once the lock has passed, the right password works at once.
    expect((await b.submitLogin(email, password)).status).toBe(303);
  });

  it("counts failures however the e-mail is capitalised or padded", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id, "admin@example.com");
    const b = anonymous(t);
    for (const variant of [
      "ADMIN@example.com",
      " admin@EXAMPLE.com",
      "Admin@Example.Com",
      "admin@example.COM",
    ]) {
      expect((await b.submitLogin(variant, "wrong password")).status).toBe(401);
    }
    expect((await b.submitLogin("admin@example.com ", "wrong password")).status).toBe(429);
    expect((await b.submitLogin(email, password)).status).toBe(429);
    t.clock.advance(15_000);
    expect((await b.submitLogin("ADMIN@EXAMPLE.COM", password)).status).toBe(303);
  });

  it("counts failures of an unknown e-mail too, so a lock does not tell which addresses exist", async () => {
    await service();
    const b = anonymous(t);
    let last: Response | undefined;
    for (let i = 0; i < 5; i += 1) last = await b.submitLogin("ghost@example.com", "wrong password");
    expect(last!.status).toBe(429);
    expect(await last!.text()).toContain("Too many failed attempts for this e-mail.");
  });

  it("throttles a flood of attempts from one IP address, whatever e-mails it tries", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    for (let i = 0; i < IP_MAX_FAILURES; i += 1) {
      const res = await b.submitLogin(`guess-${i}@example.com`, "wrong password", { ip: "198.51.100.7" });
      expect(res.status).toBe(401);
    }
    const flood = await b.submitLogin(email, password, { ip: "198.51.100.7" });
    expect(flood.status).toBe(429);
    expect(await flood.text()).toContain("Too many sign-in attempts from your network.");
    expect(b.sessionCookie).toBeUndefined();
    // Another address is not slowed down.
    expect((await anonymous(t).submitLogin(email, password, { ip: "203.0.113.9" })).status).toBe(303);
    // The window passes.
    t.clock.advance(10 * MINUTE);
    expect((await b.submitLogin(email, password, { ip: "198.51.100.7" })).status).toBe(303);
  });

  it("counts only failed attempts against an address, so one office can sign in many times", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    for (let i = 0; i < IP_MAX_FAILURES + 5; i += 1) {
      expect((await anonymous(t).submitLogin(email, password, { ip: "192.0.2.10" })).status).toBe(303);
    }
  });

  it("does not lock a user out at an address they are known to sign in from", async () => {
    const { account } = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    expect((await anonymous(t).submitLogin(email, password, { ip: "192.0.2.20" })).status).toBe(303);
    // Someone elsewhere guesses until the e-mail is locked…
    const attacker = anonymous(t);
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) last = await attacker.submitLogin(email, "guess", { ip: "203.0.113.66" });
    expect(last!.status).toBe(429);
    expect((await attacker.submitLogin(email, password, { ip: "203.0.113.66" })).status).toBe(429);
    // …but the user, at their usual address, still gets in.
    expect((await anonymous(t).submitLogin(email, password, { ip: "192.0.2.20" })).status).toBe(303);
  });
});

describe("audit log", () => {
  it("records sign-in, failures, the lock and sign-out with who, when and the IP address", async () => {
    const { account } = await service();
    const { email, password, user } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    const ip = "192.0.2.44";
    const at = t.clock.now().toISOString();
    for (let i = 0; i < 5; i += 1) await b.submitLogin(email, "wrong password", { ip });
    t.clock.advance(15_000);
    expect((await b.submitLogin(email, password, { ip })).status).toBe(303);
    await b.refreshCsrfToken();
    expect((await b.post("/logout", {}, { ip })).status).toBe(303);

    const failed = await audit("sign_in_failed");
    expect(failed).toHaveLength(5);
    expect(failed[0]).toMatchObject({ account_id: account.id, user_id: user.id, email, ip, at });
    const locked = await audit("user_locked");
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ account_id: account.id, email, ip });
    const signedIn = await audit("sign_in");
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]).toMatchObject({ account_id: account.id, user_id: user.id, email, ip });
    const out = await audit("sign_out");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ account_id: account.id, user_id: user.id, email, ip });

    // The account's admins can read them at /audit.
    const admin = await signIn(t, account.id, { email: "other-admin@example.com" });
    const page = await admin.get("/audit");
    const text = await page.text();
    expect(page.status).toBe(200);
    for (const label of ["Signed in", "Sign-in failed", "User temporarily locked", "Signed out"]) {
      expect(text).toContain(label);
    }
  });

  it("records a failure for an unknown e-mail without an account", async () => {
    await service();
    await anonymous(t).submitLogin("nobody@example.com", "wrong password", { ip: "192.0.2.1" });
    const failed = await audit("sign_in_failed");
    expect(failed).toEqual([
      expect.objectContaining({
        account_id: null,
        user_id: null,
        email: "nobody@example.com",
        ip: "192.0.2.1",
      }),
    ]);
  });
});
