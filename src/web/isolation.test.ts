import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, getJob, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import {
  anonymous,
  type RequestOptions,
  type SignedInUser,
  signIn,
  type TestService,
} from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// Account isolation (issue 5 §2): every query is scoped to the signed-in user's account, so with account
// B's user signed in, every route that takes an ID answers 404 to account A's IDs (400 for a list filter)
// and never shows A's data. And every page, fragment and download needs a session.

const SECRET = "ALPHA-SECRET";

let t: TestService;
let a: Engine;
let b: Engine;
let userB: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  a = await t.addAccount("SVC-A");
  b = await t.addAccount("SVC-B");

  await putConnector(a, "a-m365", { name: `Alpha tenant ${SECRET}`, kind: "microsoft_365" });
  const backup = new Stream(a, "a-backup");
  await createJob(a, { id: "a-backup", connectorId: "a-m365", description: `${SECRET} backup of finance` });
  await backup.started();
  await backup.skipped([item("a-item-1", { name: `${SECRET} payroll.xlsx` })]);
  await backup.finished({ outcome: "completed" });
  const backup2 = new Stream(a, "a-backup-2");
  await createJob(a, { id: "a-backup-2", connectorId: "a-m365", description: `${SECRET} second backup` });
  await backup2.started("2026-11-27T13:10:00.000Z");
  await backup2.skipped([item("a-item-1", { name: `${SECRET} payroll.xlsx` })]);
  await backup2.finished({ outcome: "completed" }, "2026-11-27T13:20:00.000Z");
  await createJob(a, {
    id: "a-restore",
    connectorId: "a-m365",
    type: "restore",
    description: `${SECRET} restore`,
  });
  await new Stream(a, "a-restore").started();
  // The same IDs exist in both accounts and must not meet.
  await putConnector(a, "shared-c", { name: `Shared ${SECRET}`, kind: "sharepoint" });
  await createJob(a, {
    id: "shared-1",
    connectorId: "shared-c",
    type: "restore",
    description: `${SECRET} shared`,
  });

  await putConnector(b, "b-m365", { name: "Bravo tenant", kind: "microsoft_365" });
  await createJob(b, { id: "b-backup", connectorId: "b-m365", description: "Bravo backup" });
  await putConnector(b, "shared-c", { name: "Bravo shared", kind: "sharepoint" });
  await createJob(b, {
    id: "shared-1",
    connectorId: "shared-c",
    type: "restore",
    description: "Bravo shared",
  });

  // A's user has been active (their audit entries must stay in A).
  await signIn(t, a.account.id, { email: "alice@alpha.example" });
  userB = await signIn(t, b.account.id, { email: "bob@bravo.example" });
});
afterEach(() => t.close());

async function expectNoLeak(res: Response, what: string) {
  const body = await res.text();
  expect(body, what).not.toContain(SECRET);
  expect(body, what).not.toContain("alice@alpha.example");
  expect(body, what).not.toContain("SVC-A");
  return body;
}

type Probe = { what: string; path: string; options?: RequestOptions; status: number };

const idRoutes = (root: string): Probe[] => [
  { what: "report page", path: `${root}/jobs/a-backup`, status: 404 },
  { what: "report page (running restore)", path: `${root}/jobs/a-restore`, status: 404 },
  ...["row", "report", "report-body", "report-page", "skipped"].flatMap((part) => [
    {
      what: `part=${part} (htmx)`,
      path: `${root}/jobs/a-backup?part=${part}`,
      options: { htmx: true },
      status: 404,
    },
    { what: `part=${part} (page)`, path: `${root}/jobs/a-backup?part=${part}`, status: 404 },
  ]),
  { what: "skipped page 2", path: `${root}/jobs/a-backup?after=a-item-0&reason=throttled`, status: 404 },
  { what: "skipped-items CSV", path: `${root}/jobs/a-backup/skipped.csv`, status: 404 },
  { what: "cancel: ask", path: `${root}/jobs/a-restore/cancel`, status: 404 },
  { what: "cancel: ask (htmx)", path: `${root}/jobs/a-restore/cancel`, options: { htmx: true }, status: 404 },
  { what: "cancel: password", path: `${root}/jobs/a-restore/cancel?step=password`, status: 404 },
  { what: "connector's jobs", path: `${root}/connectors/a-m365/jobs`, status: 404 },
  {
    what: "connector's jobs (htmx)",
    path: `${root}/connectors/a-m365/jobs`,
    options: { htmx: { target: "results" } },
    status: 404,
  },
  { what: "skipped again", path: `${root}/connectors/a-m365/skipped`, status: 404 },
  { what: "skipped again CSV", path: `${root}/connectors/a-m365/skipped.csv`, status: 404 },
  { what: "list filtered by A's connector", path: `${root}/jobs?connector=a-m365`, status: 400 },
  {
    what: "list fragment filtered by A's connector",
    path: `${root}/jobs?connector=a-m365`,
    options: { htmx: { target: "results" } },
    status: 400,
  },
  { what: "CSV filtered by A's connector", path: `${root}/jobs.csv?connector=a-m365`, status: 400 },
];

describe.each(["", "/embed"])("with account B signed in, account A's IDs (%s)", (root) => {
  it.each(idRoutes(root))("$what → $status, nothing of A's", async ({ what, path, options, status }) => {
    const res = await userB.get(path, options);
    expect(res.status, what).toBe(status);
    await expectNoLeak(res, what);
  });
});

describe("with account B signed in", () => {
  it("cannot cancel A's restore, even with a valid token and password: 404, and A's job runs on", async () => {
    const res = await userB.post("/jobs/a-restore/cancel", { password: userB.password, return: "/jobs" });
    expect(res.status).toBe(404);
    await expectNoLeak(res, "cancel POST");
    const job = await getJob(a, "a-restore");
    expect(job.status).toBe("in_progress");
    expect(job.cancelRequested).toBe(false);
    const htmx = await userB.post("/jobs/a-restore/cancel", { password: userB.password }, { htmx: true });
    expect(htmx.status).toBe(404);
    expect((await getJob(a, "a-restore")).cancelRequested).toBe(false);
  });

  it("sees only its own job behind an ID both accounts use", async () => {
    const page = await userB.get("/jobs/shared-1");
    expect(page.status).toBe(200);
    const body = await expectNoLeak(page, "shared ID");
    expect(body).toContain("Bravo shared");
    // Cancelling B's job leaves A's job of the same ID alone.
    const res = await userB.post("/jobs/shared-1/cancel", { password: userB.password, return: "/jobs" });
    expect(res.status).toBe(303);
    expect((await getJob(b, "shared-1")).status).toBe("cancelled");
    expect((await getJob(a, "shared-1")).status).toBe("scheduled");
    const connector = await userB.get("/connectors/shared-c/jobs");
    expect(connector.status).toBe(200);
    await expectNoLeak(connector, "shared connector");
  });

  it("lists, counts, searches and exports only its own jobs", async () => {
    for (const path of [
      "/jobs",
      "/jobs?q=ALPHA",
      "/jobs?q=a-backup",
      "/jobs?q=finance",
      "/jobs.csv",
      "/jobs.csv?q=ALPHA",
    ]) {
      const res = await userB.get(path.replace("ALPHA", "ALPHA-SECRET"));
      expect(res.status, path).toBe(200);
      const body = await res.text();
      // (A page repeats the search text in its form, so look for A's rows, not for the words.)
      expect(body, path).not.toContain('data-job-id="a-');
      expect(body, path).not.toContain("/jobs/a-");
      expect(body, path).not.toMatch(/^a-/m);
      expect(body, path).not.toContain("Alpha tenant");
      expect(body, path).not.toContain(" backup of finance");
    }
    const list = await (await userB.get("/jobs")).text();
    expect(list).toContain("1–2 of 2 jobs");
    const csv = await (await userB.get("/jobs.csv")).text();
    expect(csv.trim().split("\r\n")).toHaveLength(3); // header + B's two jobs
  });

  it("never counts A's new jobs in its notice", async () => {
    await createJob(a, { id: "a-new", connectorId: "a-m365" });
    const res = await userB.get("/new-jobs?since=0", { htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("2 new jobs");
    const filtered = await userB.get("/new-jobs?since=0&connector=a-m365", { htmx: true });
    expect(await filtered.text()).not.toContain("new job");
  });

  it("reads only its own account's audit log", async () => {
    for (const path of ["/audit", "/audit.csv", "/audit?event=sign_in"]) {
      const res = await userB.get(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).not.toContain("alice@alpha.example");
      expect(body, path).toContain("bob@bravo.example");
    }
  });
});

describe("every page, fragment and download requires a session", () => {
  const routes = [
    "/",
    "/jobs",
    "/jobs?status=cancelled",
    "/jobs.csv",
    "/jobs/b-backup",
    "/jobs/b-backup?part=row",
    "/jobs/b-backup?part=report",
    "/jobs/b-backup?part=report-body",
    "/jobs/b-backup?part=skipped",
    "/jobs/b-backup/skipped.csv",
    "/jobs/shared-1/cancel",
    "/jobs/shared-1/cancel?step=password",
    "/connectors/b-m365/jobs",
    "/connectors/b-m365/skipped",
    "/connectors/b-m365/skipped.csv",
    "/new-jobs?since=0",
    "/settings",
    "/audit",
    "/audit.csv",
    "/no-such-page",
  ];

  it.each(["", "/embed"])("pages redirect to sign-in (302) (%s)", async (root) => {
    for (const route of routes) {
      const path = `${root}${route}`;
      const res = await anonymous(t).get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toBe(`${root}/login?next=${encodeURIComponent(path)}`);
      await expectNoLeak(res, path);
      expect(res.headers.get("content-type") ?? "", path).not.toMatch(/csv/);
    }
  });

  it.each(["", "/embed"])("htmx requests get 401 and HX-Redirect to sign-in (%s)", async (root) => {
    for (const route of routes) {
      const path = `${root}${route}`;
      const res = await anonymous(t).get(path, {
        htmx: { target: "results", currentUrl: `http://localhost${root}/jobs?type=restore` },
      });
      expect(res.status, path).toBe(401);
      expect(res.headers.get("hx-redirect"), path).toBe(
        `${root}/login?next=${encodeURIComponent(`${root}/jobs?type=restore`)}`,
      );
    }
  });

  it("a cancel POST without a session cancels nothing, even with a valid sign-in form token", async () => {
    const stranger = anonymous(t);
    const token = await stranger.openLogin();
    const res = await stranger.post("/jobs/shared-1/cancel", { _csrf: token!, password: "anything at all" });
    expect(res.status).toBe(302);
    expect((await getJob(b, "shared-1")).status).toBe("scheduled");
  });

  it("a session of a deleted user is no session", async () => {
    await t.db.deleteFrom("sessions").where("user_id", "=", userB.userId).execute();
    expect((await userB.get("/jobs")).status).toBe(302);
  });
});
