import { afterEach, describe, expect, it } from "vitest";
import { createAccount } from "../accounts/accounts.repository";
import { createApp } from "../app";
import { createApiToken } from "../auth/api-tokens";
import { ManualClock } from "../clock";
import { testConfig } from "../config";
import { createLogger } from "../logger";
import { openTestDatabase, type TestDatabase } from "../testing/test-database";
import { openDatabase } from "./connection";
import { CopyRefused, copyDatabase } from "./copy";
import type { Db } from "./database";
import { migrateToLatest } from "./migrate";

// `job-monitor copy-to`: a SQLite deployment's data moved into another database (PostgreSQL when
// TEST_DATABASE_URL is set) is the same product there, and the copy goes on from where it was.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A service on `db` with an account and its engine; `call` talks to the engine API. */
async function service(db: Db) {
  const clock = new ManualClock("2026-11-27T12:00:00.000Z");
  const app = createApp({ config: testConfig(), db, clock, logger: createLogger("silent") });
  const account =
    (await db.selectFrom("accounts").selectAll().where("service_id", "=", "SVC-1").executeTakeFirst()) ??
    (await createAccount(db, { serviceId: "SVC-1", name: "Contoso", createdAt: clock.now().toISOString() }));
  const token = await createApiToken(db, {
    accountId: account.id,
    name: "engine",
    now: "2026-11-27T12:00:00Z",
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  return { call };
}

async function target(): Promise<TestDatabase> {
  const t = await openTestDatabase({ fresh: true });
  closers.push(t.close);
  return t;
}

describe("copying a database into another", () => {
  it("brings every job, its events and its search text along, and new rows continue after the copied ones", async () => {
    const source = openDatabase(":memory:");
    closers.push(() => source.destroy());
    await migrateToLatest(source);
    const before = await service(source);
    await before.call("PUT", "/connectors/c1", { name: "Fabrikam SharePoint", kind: "sharepoint" });
    for (const id of ["bk-1", "bk-2"]) {
      await before.call("POST", "/jobs", { id, connectorId: "c1", type: "backup", description: "Nightly" });
      await before.call("POST", `/jobs/${id}/events`, {
        seq: 1,
        type: "started",
        at: "2026-11-27T10:00:00Z",
      });
    }
    const failed = await before.call("POST", "/jobs/bk-2/events", {
      seq: 2,
      type: "finished",
      at: "2026-11-27T11:00:00Z",
      outcome: "failed",
      reason: "internal_error",
    });
    expect(failed.status).toBe(200);
    const listed = (await before.call("GET", "/jobs")).body;

    const to = await target();
    const copied = await copyDatabase(source, to.db);
    expect(copied).toMatchObject({ accounts: 1, connectors: 1, jobs: 2, job_events: 3 });

    const after = await service(to.db);
    expect((await after.call("GET", "/jobs")).body.jobs).toEqual(listed.jobs);
    // The search index is rebuilt on the target: connector names and reasons are found there too.
    const byConnector = (await after.call("GET", "/jobs?q=fabrikam")).body.jobs.map(
      (j: { id: string }) => j.id,
    );
    expect(byConnector.sort()).toEqual(["bk-1", "bk-2"]);
    expect((await after.call("GET", "/jobs?q=internal")).body.jobs.map((j: { id: string }) => j.id)).toEqual([
      "bk-2",
    ]);
    // The copy takes events where the source left off, and new rows get new ids.
    const next = await after.call("POST", "/jobs/bk-1/events", {
      seq: 2,
      type: "finished",
      at: "2026-11-27T11:30:00Z",
      outcome: "completed",
    });
    expect(next.status).toBe(200);
    expect(
      (await after.call("POST", "/jobs", { id: "bk-3", connectorId: "c1", type: "backup", description: "x" }))
        .status,
    ).toBe(201);
  });

  it("refuses a target that already holds accounts", async () => {
    const to = await target();
    await service(to.db);
    const source = openDatabase(":memory:");
    closers.push(() => source.destroy());
    await migrateToLatest(source);
    await expect(copyDatabase(source, to.db)).rejects.toThrow(CopyRefused);
  });
});
