import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../accounts/accounts.repository";
import { createUser } from "../auth/users.repository";
import { MINUTE } from "../clock";
import { rebuildCounts } from "../jobs/job-counts";
import { createTestApp } from "../testing/test-app";
import { seedHistory } from "./seed";

// The demo's history is made through the same domain functions as the engine API, so it doubles as a
// check that the count buckets kept up job by job equal the counts rebuilt from the jobs. It is seeded
// once, 25 days (enough for aborted jobs of both reasons, their follow-ups, and a follow-up aborted in
// turn), and read by each test.

describe("the demo history", () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let now: Date;
  let made = 0;

  beforeAll(async () => {
    t = await createTestApp();
    now = t.clock.now();
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
    made = await seedHistory(
      t.db,
      { accountId: account.id, user: { id: user.id, email: user.email } },
      now,
      25,
    );
  }, 180_000);
  afterAll(() => t.close());

  it("holds jobs of every status, and count buckets that match the jobs exactly", async () => {
    expect(made).toBeGreaterThan(1000);

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
  });

  it("starts no seeded job before its scheduled time", async () => {
    const scheduled = await t.db
      .selectFrom("jobs")
      .select(["id", "scheduled_at", "started_at"])
      .where("scheduled_at", "is not", null)
      .where("started_at", "is not", null)
      .execute();
    // Restores and the service's follow-ups are the seeded jobs with a scheduled time.
    expect(scheduled.length).toBeGreaterThan(20);
    const early = scheduled.filter((j) => j.started_at! < j.scheduled_at!);
    expect(early).toEqual([]);
  });

  it("finishes the follow-ups of aborted jobs in the seeded history, and leaves none Scheduled for a time long past", async () => {
    const followUps = await t.db
      .selectFrom("jobs")
      .innerJoin("jobs as aborted", "aborted.pk", "jobs.retry_of_job_pk")
      .select([
        "jobs.id",
        "jobs.status",
        "jobs.scheduled_at",
        "jobs.started_at",
        "aborted.reason as aborted_reason",
        "aborted.retry_of_job_pk as aborted_was_a_follow_up",
      ])
      .execute();
    expect(followUps.length).toBeGreaterThan(5);
    // The seed covers both reasons that schedule a new job, and follow-ups that were aborted in turn
    // (if a change to the demo data loses one of these, pick a history length that has them again).
    expect(new Set(followUps.map((f) => f.aborted_reason))).toEqual(
      new Set(["job_aborted", "authorization_server_unavailable"]),
    );
    expect(followUps.some((f) => f.aborted_was_a_follow_up !== null)).toBe(true);

    // What is still Scheduled is due no earlier than the history's last 20 minutes (the live demo engine
    // starts it on time); anything due before then has started, most have finished.
    const lastHour = now.getTime() - 20 * MINUTE;
    const waiting = await t.db
      .selectFrom("jobs")
      .select(["id", "scheduled_at"])
      .where("status", "=", "scheduled")
      .execute();
    expect(waiting.filter((j) => Date.parse(j.scheduled_at!) <= lastHour)).toEqual([]);
    const old = followUps.filter((f) => Date.parse(f.scheduled_at!) < now.getTime() - 3 * 60 * MINUTE);
    expect(old.length).toBeGreaterThan(0);
    expect(old.filter((f) => f.status === "scheduled" || f.status === "in_progress")).toEqual([]);
  });
});
