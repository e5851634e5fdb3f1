import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, getJob, putConnector } from "../engine-api/api-test-helpers";
import {
  anonymous,
  type Browser,
  createPasswordUser,
  type RequestOptions,
  type SignedInUser,
  signIn,
  type TestService,
} from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// Every state-changing request (sign-in, sign-out, cancel, settings) passes two checks: the browser's
// Origin / Sec-Fetch-Site, and a secret token (form field `_csrf` or header X-CSRF-Token). Each refusal
// is a 403 that changes nothing and leaves an audit entry; no GET changes state (issue 5 §3).

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1");
  await createJob(engine, { id: "r1", type: "restore", description: "Restore of the finance mailbox" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

const forged = () => randomBytes(32).toString("base64url");

type Target = {
  name: string;
  path: string;
  form: () => Record<string, string>;
  /** Whether the request took effect. */
  happened: () => Promise<boolean>;
  /** 2xx/3xx status of an accepted request. */
  accepted: number;
};

const targets: Target[] = [
  {
    name: "sign-out",
    path: "/logout",
    form: () => ({}),
    happened: async () => (await user.get("/jobs")).status !== 200,
    accepted: 303,
  },
  {
    name: "settings",
    path: "/settings",
    form: () => ({ time_zone: "Europe/Copenhagen" }),
    happened: async () => {
      const row = await t.db
        .selectFrom("users")
        .select("time_zone")
        .where("id", "=", user.userId)
        .executeTakeFirstOrThrow();
      return row.time_zone === "Europe/Copenhagen";
    },
    accepted: 303,
  },
  {
    name: "cancel",
    path: "/jobs/r1/cancel",
    form: () => ({ password: user.password, return: "/jobs" }),
    happened: async () => (await getJob(engine, "r1")).status === "cancelled",
    accepted: 303,
  },
];

async function csrfAudit() {
  return t.db.selectFrom("audit_events").selectAll().where("event", "=", "csrf_rejected").execute();
}

async function expectRefused(res: Response) {
  expect(res.status).toBe(403);
  expect(await res.text()).toContain("did not come from this site");
}

describe.each(targets)("POST $path ($name)", (target) => {
  const send = (form: Record<string, string>, options: RequestOptions = {}) =>
    user.post(target.path, form, options);

  it("is refused without a token", async () => {
    await expectRefused(await send(target.form(), { csrf: false }));
    expect(await target.happened()).toBe(false);
  });

  it("is refused with a forged token", async () => {
    await expectRefused(await send({ ...target.form(), _csrf: forged() }));
    expect(await target.happened()).toBe(false);
  });

  it("is refused with an empty token", async () => {
    await expectRefused(await send({ ...target.form(), _csrf: "" }));
    expect(await target.happened()).toBe(false);
  });

  it("is refused with another session's valid token", async () => {
    const other = await signIn(t, engine.account.id, { email: "other@example.com" });
    await expectRefused(await send({ ...target.form(), _csrf: other.csrfToken! }));
    expect(await target.happened()).toBe(false);
  });

  it("is refused with a forged X-CSRF-Token header", async () => {
    const res = await send(target.form(), { csrf: false, headers: { "X-CSRF-Token": forged() } });
    await expectRefused(res);
    expect(await target.happened()).toBe(false);
  });

  it("is refused from a cross-site Origin even with the right token", async () => {
    const res = await send(target.form(), {
      origin: "https://evil.example",
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    await expectRefused(res);
    expect(await target.happened()).toBe(false);
  });

  it("is refused with Sec-Fetch-Site: cross-site and no Origin, even with the right token", async () => {
    const res = await send(target.form(), { origin: null, headers: { "Sec-Fetch-Site": "cross-site" } });
    await expectRefused(res);
    expect(await target.happened()).toBe(false);
  });

  it("is refused from a look-alike origin (another port) even with the right token", async () => {
    await expectRefused(await send(target.form(), { origin: "http://localhost:8080" }));
    expect(await target.happened()).toBe(false);
  });

  it("is refused with neither Origin nor Sec-Fetch-Site, even with the right token", async () => {
    await expectRefused(await send(target.form(), { origin: null }));
    expect(await target.happened()).toBe(false);
  });

  it("writes a csrf_rejected audit entry naming the request and the user", async () => {
    await send(target.form(), { csrf: false, ip: "203.0.113.50" });
    await send(target.form(), { origin: "https://evil.example" });
    const entries = await csrfAudit();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      account_id: engine.account.id,
      user_id: user.userId,
      email: user.email,
      ip: "203.0.113.50",
    });
    expect(entries[0]!.detail).toContain(`POST ${target.path}`);
    expect(entries[0]!.detail).toContain("token");
    expect(entries[1]!.detail).toContain("cross-site");
  });

  it("is accepted with the right token from the same origin", async () => {
    const res = await send(target.form());
    expect(res.status).toBe(target.accepted);
    expect(await target.happened()).toBe(true);
    expect(await csrfAudit()).toHaveLength(0);
  });

  it("is accepted with the right token in the X-CSRF-Token header (htmx)", async () => {
    const res = await send(target.form(), { csrf: false, headers: { "X-CSRF-Token": user.csrfToken! } });
    expect([200, 303]).toContain(res.status);
    expect(await target.happened()).toBe(true);
  });

  it("is accepted with Sec-Fetch-Site: same-origin and the right token", async () => {
    const res = await send(target.form(), { origin: null, headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(res.status).toBe(target.accepted);
    expect(await target.happened()).toBe(true);
  });
});

describe("POST /login", () => {
  let email: string;
  let password: string;
  beforeEach(async () => {
    ({ email, password } = await createPasswordUser(t, engine.account.id, "signer@example.com"));
  });

  /** A browser on the sign-in page: it holds the login CSRF cookie and the form's token. */
  async function onLoginPage(): Promise<{ b: Browser; token: string }> {
    const b = anonymous(t);
    const token = await b.openLogin();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.loginCsrfCookie).toBe(token);
    return { b, token: token! };
  }

  const signedIn = (b: Browser) => b.sessionCookie !== undefined;

  it("is refused without a token", async () => {
    const { b } = await onLoginPage();
    await expectRefused(await b.post("/login", { email, password }));
    expect(signedIn(b)).toBe(false);
  });

  it("is refused with a forged token", async () => {
    const { b } = await onLoginPage();
    await expectRefused(await b.post("/login", { email, password, _csrf: forged() }));
    expect(signedIn(b)).toBe(false);
  });

  it("is refused with a token but no login cookie (a forged form on another site)", async () => {
    const { token } = await onLoginPage();
    const attacker = anonymous(t);
    await expectRefused(await attacker.post("/login", { email, password, _csrf: token }));
    expect(signedIn(attacker)).toBe(false);
  });

  it("is refused from a cross-site Origin even with the right cookie and token", async () => {
    const { b, token } = await onLoginPage();
    const res = await b.post(
      "/login",
      { email, password, _csrf: token },
      { origin: "https://evil.example", headers: { "Sec-Fetch-Site": "cross-site" } },
    );
    await expectRefused(res);
    expect(signedIn(b)).toBe(false);
  });

  it("is refused with Sec-Fetch-Site: cross-site even with the right cookie and token", async () => {
    const { b, token } = await onLoginPage();
    const res = await b.post(
      "/login",
      { email, password, _csrf: token },
      { origin: null, headers: { "Sec-Fetch-Site": "cross-site" } },
    );
    await expectRefused(res);
    expect(signedIn(b)).toBe(false);
  });

  it("does not count a refused request as a password failure, and audits it", async () => {
    const { b } = await onLoginPage();
    await b.post("/login", { email, password: "wrong", _csrf: forged() }, { ip: "198.51.100.1" });
    expect(await t.db.selectFrom("login_attempts").selectAll().execute()).toHaveLength(0);
    const entries = await csrfAudit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ account_id: null, ip: "198.51.100.1" });
    expect(entries[0]!.detail).toContain("POST /login");
  });

  it("is accepted with the cookie-bound token from the same origin", async () => {
    const { b, token } = await onLoginPage();
    const res = await b.post("/login", { email, password, _csrf: token });
    expect(res.status).toBe(303);
    expect(signedIn(b)).toBe(true);
  });
});

describe("no GET changes state", () => {
  it("GET /logout does not sign out", async () => {
    const res = await user.get("/logout");
    expect(res.status).toBe(404);
    expect((await user.get("/jobs")).status).toBe(200);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toHaveLength(1);
  });

  it("GET /settings with a time zone in the URL saves nothing", async () => {
    const res = await user.get("/settings?time_zone=Europe%2FCopenhagen");
    expect(res.status).toBe(200);
    const row = await t.db
      .selectFrom("users")
      .select("time_zone")
      .where("id", "=", user.userId)
      .executeTakeFirstOrThrow();
    expect(row.time_zone).toBeNull();
  });

  it("GET of every cancel step, even with the password in the URL, cancels nothing", async () => {
    for (const q of ["", "?step=password", `?step=password&password=${encodeURIComponent(user.password)}`]) {
      const res = await user.get(`/jobs/r1/cancel${q}`);
      expect(res.status).toBe(200);
    }
    const job = await getJob(engine, "r1");
    expect(job.status).toBe("scheduled");
    expect(job.cancelRequested).toBe(false);
  });

  it("GET /login with credentials in the URL does not sign in", async () => {
    const { email, password } = await createPasswordUser(t, engine.account.id, "url@example.com");
    const b = anonymous(t);
    const res = await b.get(
      `/login?email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`,
    );
    expect(res.status).toBe(200);
    expect(b.sessionCookie).toBeUndefined();
  });

  it("other methods than GET and POST are checked too", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const res = await user.request(method, "/settings", new URLSearchParams({ time_zone: "UTC" }), {
        origin: "https://evil.example",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(res.status, method).toBe(403);
    }
  });
});
