import { afterEach, describe, expect, it } from "vitest";
import { createAccount } from "../accounts/accounts.repository";
import { createUser } from "../auth/users.repository";
import { rebuildCounts } from "../jobs/job-counts";
import { createTestApp } from "../testing/test-app";
import { seedHistory } from "./seed";

// The demo's history is made through the same domain functions as the engine API, so it doubles as a
// check that the count buckets kept up job by job equal the counts rebuilt from the jobs.

describe("the demo history", () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  afterEach(() => t.close());

  it("holds jobs of every status, and count buckets that match the jobs exactly", async () => {
    t = await createTestApp();
    const now = t.clock.now();
    const account = await createAccount(t.db, {
      serviceId: "DEMO-T",
      name: "Demo",
      createdAt: now.toISOString(),
    });
    const user = await createUser(t.db, {
      accountId: account.id,
      email: "demo@example.com",
      passwordHash: "x",
      now: now.toISOString(),
    });
    const made = await seedHistory(
      t.db,
      { accountId: account.id, user: { id: user.id, email: user.email } },
      now,
      6,
    );
    expect(made).toBeGreaterThan(200);

    const statuses = await t.db.selectFrom("jobs").select("status").distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(
      expect.arrayContaining(["cancelled", "incomplete", "successful", "unsuccessful"]),
    );
    const skipped = await t.db
      .selectFrom("skipped_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(skipped.n)).toBeGreaterThan(0);

    const kept = await t.db
      .selectFrom("job_counts")
      .selectAll()
      .where("jobs", "!=", 0)
      .orderBy(["period", "bucket", "type", "status"])
      .execute();
    await rebuildCounts(t.db);
    const rebuilt = await t.db
      .selectFrom("job_counts")
      .selectAll()
      .orderBy(["period", "bucket", "type", "status"])
      .execute();
    expect(kept).toEqual(rebuilt);
  }, 60_000);
});
