import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob, type Engine, putConnector, Stream } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { rebuildCounts } from "./job-counts";
import { jobsChanged, jobsVersion } from "./jobs-version";

// The Job Monitor reuses a filter's counts and chart until the account's jobs version grows. These tests
// prove both halves: every change that can move a count grows the version (so no page shows stale
// numbers), and nothing else is read while it stays the same (so the reuse is real).

let t: TestService;
let engine: Engine;
let other: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  other = await t.addAccount("SVC-2");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  await putConnector(other, "c1", { name: "Other Microsoft 365", kind: "microsoft_365" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

const version = () => jobsVersion(t.db, engine.account.id);

/** The total in the status summary's "All" link. */
async function shownTotal(path = "/jobs"): Promise<string> {
  const html = await (await user.get(path)).text();
  const m = /<span>All<\/span>\s*<span class="count">([^<]+)<\/span>/.exec(html);
  expect(m, "the All count").not.toBeNull();
  return m![1]!;
}

describe("the account's jobs version", () => {
  it("grows when a job is created, starts, and finishes, but not with progress or skipped items", async () => {
    const v0 = await version();
    await createJob(engine, { id: "j1", connectorId: "c1" });
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);

    const stream = new Stream(engine, "j1");
    await stream.started("2026-11-27T11:00:00.000Z");
    const v2 = await version();
    expect(v2).toBeGreaterThan(v1);

    await stream.progress({ added: { items: 5, bytes: 500 } }, "2026-11-27T11:10:00.000Z");
    await stream.skipped([{ key: "a", name: "a.txt", kind: "file", bytes: 1, reason: "throttled" }]);
    expect(await version()).toBe(v2);

    await stream.finished({ outcome: "completed", stats: { added: { items: 5, bytes: 500 } } });
    expect(await version()).toBeGreaterThan(v2);
  });

  it("grows when a connector is renamed, since free text searches connector names", async () => {
    const before = await version();
    await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
    expect(await version()).toBe(before);
    await putConnector(engine, "c1", { name: "Contoso Mail", kind: "microsoft_365" });
    expect(await version()).toBeGreaterThan(before);
  });

  it("grows for every account when the counts are rebuilt from the jobs", async () => {
    const before = [await version(), await jobsVersion(t.db, other.account.id)];
    await rebuildCounts(t.db);
    expect(await version()).toBeGreaterThan(before[0]!);
    expect(await jobsVersion(t.db, other.account.id)).toBeGreaterThan(before[1]!);
  });

  it("does not grow with another account's jobs", async () => {
    const before = await version();
    await createJob(other, { id: "theirs", connectorId: "c1" });
    expect(await version()).toBe(before);
  });
});

describe("the status summary and chart", () => {
  it("show every new job at once", async () => {
    await createJob(engine, { id: "j1", connectorId: "c1" });
    expect(await shownTotal()).toBe("1");
    await createJob(engine, { id: "j2", connectorId: "c1" });
    expect(await shownTotal()).toBe("2");
    await createJob(other, { id: "theirs", connectorId: "c1" });
    expect(await shownTotal()).toBe("2");
  });

  it("are reused while the version stays the same, and worked out again once it grows", async () => {
    await createJob(engine, { id: "j1", connectorId: "c1" });
    expect(await shownTotal()).toBe("1");
    // Counts changed behind the version's back are not seen: the page did not count again.
    await t.db
      .updateTable("job_counts")
      .set({ jobs: 7 })
      .where("account_id", "=", engine.account.id)
      .where("period", "=", "month")
      .execute();
    expect(await shownTotal()).toBe("1");
    await jobsChanged(t.db, engine.account.id);
    expect(await shownTotal()).toBe("7");
  });

  it("are worked out on every request for a span that moves with the clock, such as the last 24 hours", async () => {
    await createJob(engine, { id: "j1", connectorId: "c1" });
    expect(await shownTotal("/jobs?span=24h")).toBe("1");
    await t.db
      .updateTable("job_counts")
      .set({ jobs: 7 })
      .where("account_id", "=", engine.account.id)
      .execute();
    expect(await shownTotal("/jobs?span=24h")).not.toBe("1");
  });
});
