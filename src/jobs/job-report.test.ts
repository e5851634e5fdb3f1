import type { KyselyPlugin } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { createJob, type Engine, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import { createLogger } from "../logger";
import {
  Browser,
  type RequestOptions,
  type SignedInUser,
  signIn,
  type TestService,
} from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// The job report and the table's row as the admin reads them, for the status rules of PRODUCT.md §2
// as corrected in issue 13: what the report says about a snapshot it was not told of, the reason and
// advice a backup that skipped every changed item gets, and the generic reason of a download that
// broke off without one. And the row that every running job polls for: one statement, the same HTML.

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

async function finished(id: string, type: string, finish: Record<string, unknown>, skipped: unknown[] = []) {
  await createJob(engine, { id, type, description: `Job ${id}` });
  const s = new Stream(engine, id);
  await s.started("2026-11-27T11:00:00.000Z");
  if (skipped.length) await s.skipped(skipped);
  await s.finished(finish, "2026-11-27T11:30:00.000Z");
}

const reportOf = async (id: string) => (await user.get(`/jobs/${id}`)).text();
const rowOf = (html: string, id: string) => {
  const m = new RegExp(`<tr id="job-\\d+"[^>]*data-job-id="${id}"[^>]*>[\\s\\S]*?</tr>`).exec(html);
  expect(m, `row of ${id}`).not.toBeNull();
  return m![0];
};
const snapshotFact = (html: string) =>
  /<dt>Snapshot<\/dt>\s*<dd>([\s\S]*?)<\/dd>/
    .exec(html)![1]!
    .replace(/<[^>]+>/g, "")
    .trim();
const meaning = (html: string) => /<p class="status-meaning">([\s\S]*?)<\/p>/.exec(html)![1]!;

describe("a backup that completed with nothing added or removed but items skipped", () => {
  beforeEach(async () => {
    await finished("bk", "backup", { outcome: "completed", snapshot: { id: "snap-1", partial: false } }, [
      item("a"),
      item("b", { kind: "folder" }),
    ]);
  });

  it("is Unsuccessful with the service's reason all_items_skipped, highlighted as a problem in the table", async () => {
    const row = rowOf(await (await user.get("/jobs")).text(), "bk");
    expect(row).toMatch(/class="job-row problem"/);
    expect(row).toContain("Unsuccessful");
    expect(row).toContain("(needs attention)");
    expect(row).toContain("Every item was skipped");
  });

  it("shows in its report what the reason means for a backup and what to do", async () => {
    const html = await reportOf("bk");
    expect(meaning(html)).toContain("every changed item it found was skipped");
    expect(html).toContain("all_items_skipped");
    expect(html).toContain("could not reach a single changed item");
    expect(html).toContain("the next scheduled backup tries these items again");
    expect(html).not.toContain("The backup failed before anything was backed up.");
    expect(html).not.toContain("could be written to the target");
  });
});

describe("a backup with nothing changed", () => {
  it("stays Successful with no reason: 0 added, 0 removed, 0 skipped", async () => {
    await finished("bk", "backup", { outcome: "completed", snapshot: { id: "snap-1", partial: false } });
    const row = rowOf(await (await user.get("/jobs")).text(), "bk");
    expect(row).not.toContain("problem");
    expect(row).toContain("Successful");
    expect(row).toContain("no changes since the last backup");
  });
});

describe("what the report says about a completed backup's snapshot", () => {
  it("says the snapshot is available when the engine reported one", async () => {
    await finished("bk", "backup", {
      outcome: "completed",
      stats: { added: { items: 3, bytes: 30 } },
      snapshot: { id: "snap-42", partial: false },
    });
    const html = await reportOf("bk");
    expect(meaning(html)).toContain("its snapshot is available");
    expect(snapshotFact(html)).toBe("snap-42");
  });

  it("does not say its snapshot is available when the engine sent no snapshot field, and says what is known", async () => {
    await finished("bk", "backup", { outcome: "completed", stats: { added: { items: 3, bytes: 30 } } });
    const html = await reportOf("bk");
    expect(html).not.toContain("snapshot is available");
    expect(meaning(html)).toContain("its engine reported no snapshot");
    expect(snapshotFact(html)).toBe("Not reported by the engine");
  });

  it("still says an Incomplete backup without a snapshot made none", async () => {
    await finished("bk", "backup", { outcome: "stopped", reason: "incident" });
    expect(snapshotFact(await reportOf("bk"))).toBe(
      "No snapshot was made: nothing from this job can be restored.",
    );
  });
});

describe.each([
  ["pst_download", "PST download"],
  ["zip_download", "ZIP download"],
])("a %s stopped without a reason", (type) => {
  it("gets the generic reason, with what to do", async () => {
    await finished("dl", type, { outcome: "stopped" });
    const html = await reportOf("dl");
    expect(html).toContain("Unexpected problem in the service");
    expect(html).toContain("internal_error");
    expect(html).toMatch(/class="action action-contact_support"/);
    expect(html).toContain("service ID");
    const row = rowOf(await (await user.get("/jobs")).text(), "dl");
    expect(row).toContain("Unexpected problem in the service");
  });
});

describe("the polled row (?part=row)", () => {
  /** A second app on the same database whose every statement is written down while `recording`. */
  function countingService() {
    const statements: string[] = [];
    let recording = false;
    const counter: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        if (recording) statements.push(t.db.getExecutor().compileQuery(node, queryId).sql);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const app = createApp({
      config: t.config,
      db: t.db.withPlugin(counter),
      clock: t.clock,
      logger: createLogger("silent"),
    });
    const browser = new Browser({ ...t, app });
    for (const [name, value] of user.jar.cookies) browser.jar.cookies.set(name, value);
    return {
      async get(path: string, options: RequestOptions = {}) {
        statements.length = 0;
        recording = true;
        try {
          const res = await browser.get(path, options);
          return { status: res.status, html: await res.text(), statements: [...statements] };
        } finally {
          recording = false;
        }
      },
    };
  }

  const poll = { htmx: true, headers: { "x-background": "1" } } as const;
  /** Statements that read the product's data, as opposed to the session and user the sign-in needs. */
  const jobReads = (statements: string[]) =>
    statements.filter((s) => /\b(jobs|skipped_items|connectors)\b/.test(s));

  async function runningRestore(id: string) {
    await createJob(engine, { id, type: "restore", description: "Restore of the finance drive" });
    const s = new Stream(engine, id);
    await s.started("2026-11-27T11:00:00.000Z");
    await s.progress({ restored: { items: 40, bytes: 4_000 } });
    await s.skipped([item("a"), item("b", { kind: "folder", size: 10 })]);
    return s;
  }

  it("reads a running job's row in one statement, where a full report reads more", async () => {
    await runningRestore("r1");
    const counting = countingService();
    const row = await counting.get("/jobs/r1?part=row", poll);
    expect(row.status).toBe(200);
    expect(jobReads(row.statements), row.statements.join("\n")).toHaveLength(1);
    const report = await counting.get("/jobs/r1?part=report", poll);
    expect(jobReads(report.statements).length).toBeGreaterThan(1);
  });

  it("reads one statement for a job that is not in the account, and answers 404", async () => {
    const counting = countingService();
    const row = await counting.get("/jobs/nope?part=row", poll);
    expect(row.status).toBe(404);
    expect(jobReads(row.statements)).toHaveLength(1);
  });

  it.each([
    ["running", undefined],
    ["cancelling", "cancel"],
    ["finished", "finish"],
  ] as const)("renders a %s job's row exactly as the table does", async (_state, then) => {
    const s = await runningRestore("r1");
    if (then === "cancel") {
      const form = await (await user.get("/jobs/r1/cancel?step=password")).text();
      expect(form).toContain("password");
      const res = await user.post("/jobs/r1/cancel", { password: user.password });
      expect(res.status).toBe(303);
    }
    if (then === "finish") await s.finished({ outcome: "completed" }, "2026-11-27T11:30:00.000Z");
    const polled = await (await user.get("/jobs/r1?part=row", poll)).text();
    const table = rowOf(await (await user.get("/jobs")).text(), "r1");
    expect(polled).toBe(table);
    expect(polled).toContain("Restore of the finance drive");
  });
});
