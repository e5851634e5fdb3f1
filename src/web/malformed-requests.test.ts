import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, getJob, putConnector } from "../engine-api/api-test-helpers";
import { anonymous, type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// Malformed requests are the client's mistake, never the service's (issue 14 §5): a body that is not a
// well-formed form is 400 on every POST, a file where a text field is expected is 400 naming the field
// (it was read as an empty field: it cleared a setting and counted as a wrong password), and an htmx
// header that makes no sense is treated as absent.

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12, portalSigningKey: "k".repeat(40) });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1");
  await createJob(engine, { id: "r1", type: "restore", scheduledAt: "2026-11-27T18:00:00.000Z" });
  user = await signIn(t, engine.account.id);
  await t.db.updateTable("users").set({ time_zone: "Europe/Copenhagen" }).execute();
});
afterEach(() => t.close());

// Sign-out last: it is the one that would end the session the others use.
const POSTS = ["/login", "/settings", "/jobs/r1/cancel", "/portal/sign-in", "/embed/settings", "/logout"];

const BROKEN_BODIES: [string, string, string][] = [
  [
    "a multipart body cut short",
    "multipart/form-data; boundary=XX",
    '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
  ],
  ["a multipart body without a boundary", "multipart/form-data", "anything"],
  ["a multipart body with another boundary", "multipart/form-data; boundary=YY", "--XX\r\n\r\n--XX--\r\n"],
];

async function nothingChanged() {
  const row = await t.db.selectFrom("users").select("time_zone").executeTakeFirstOrThrow();
  expect(row.time_zone).toBe("Europe/Copenhagen");
  expect((await getJob(engine, "r1")).status).toBe("scheduled");
  expect((await user.get("/jobs")).status).toBe(200);
  expect(await t.db.selectFrom("login_attempts").selectAll().execute()).toHaveLength(0);
}

describe("a body that is not a well-formed form", () => {
  it.each(BROKEN_BODIES)("is answered 400 on every POST: %s", async (_, type, body) => {
    for (const path of POSTS) {
      // The CSRF token travels in the header, as htmx sends it, so the body is the only thing wrong.
      const res = await user.request("POST", path, body, {
        headers: { "content-type": type, "x-csrf-token": user.csrfToken! },
      });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain("The request body is not a well-formed form.");
    }
    await nothingChanged();
  });
});

describe("a file where a text field is expected", () => {
  const withFile = (fields: Record<string, string>, fileField: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set(fileField, new Blob(["Europe/Paris"]), "value.txt");
    return form;
  };

  it.each([
    ["/settings", "time_zone", {}],
    ["/jobs/r1/cancel", "password", { return: "/jobs" }],
    ["/login", "password", { email: "admin@example.com" }],
    ["/login", "email", { password: "correct horse battery staple" }],
    ["/portal/sign-in", "token", {}],
    ["/settings", "_csrf", { time_zone: "UTC" }],
    ["/logout", "note", {}],
  ])("is answered 400 naming the field: %s, %s", async (path, field, fields) => {
    const body = withFile({ _csrf: user.csrfToken!, ...fields }, field);
    const res = await user.request("POST", path, body);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`The field “${field}” must be text, not a file.`);
    await nothingChanged();
    expect(
      await t.db.selectFrom("audit_events").selectAll().where("event", "!=", "sign_in").execute(),
    ).toEqual([]);
  });

  it("a form without the time zone field changes nothing", async () => {
    const res = await user.post("/settings", {});
    expect(res.status).toBe(400);
    await nothingChanged();
  });
});

describe("htmx headers that make no sense", () => {
  const BAD_URLS = [
    "http://[::1",
    "ht tp://x y",
    "http://evil.example/jobs?status=failed",
    "//evil.example/x",
    "",
  ];

  it.each(BAD_URLS)(
    "an invalid HX-Current-URL %j on an expired session is treated as absent",
    async (value) => {
      const res = await anonymous(t).get("/jobs?status=failed", {
        htmx: true,
        headers: { "hx-current-url": value },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("hx-redirect")).toBe(`/login?next=${encodeURIComponent("/jobs?status=failed")}`);
    },
  );

  it.each(BAD_URLS)(
    "an invalid HX-Current-URL %j in the cancel dialog falls back to the Referer",
    async (value) => {
      const res = await user.get("/jobs/r1/cancel", {
        htmx: true,
        headers: { "hx-current-url": value, referer: "http://localhost/jobs?type=restore" },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`return=${encodeURIComponent("/jobs?type=restore")}`);
    },
  );

  it("other htmx headers with odd values are ignored", async () => {
    const odd: Record<string, string>[] = [
      { "hx-request": "yes", "hx-target": "results" },
      { "hx-request": "true", "hx-target": "" },
      { "hx-request": "true", "hx-target": "\u00ff\u00fe" },
      { "hx-request": "true", "hx-history-restore-request": "maybe" },
      { "hx-request": "true", "hx-trigger": "x".repeat(5000), "hx-boosted": "ja" },
    ];
    for (const headers of odd) {
      const res = await user.get("/jobs", { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });
});
