import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Answer, answer, item, setup, startedJob, type TestService } from "./api-test-helpers";

// Several instances of the service on one database take events from the same engines. Whatever the
// interleaving, each event of a job is applied once and in seq order. On PostgreSQL (TEST_DATABASE_URL)
// the two instances have pools of their own, as two processes would.

let t: TestService;
let token: string;
let instances: { request: (path: string, body: unknown) => Promise<Answer> }[];

beforeEach(async () => {
  const s = await setup();
  t = s.t;
  token = s.engine.token;
  await s.engine.call("PUT", "/connectors/c1", { name: "Contoso", kind: "microsoft_365" });
  instances = [t.app, t.secondInstance().app].map((app) => ({
    request: async (path: string, body: unknown) =>
      answer(
        await app.request(`/api/v1${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
  }));
  await startedJob(s.engine, "r", "restore");
});
afterEach(() => t.close());

const post = (i: number, event: unknown) => instances[i % 2]!.request("/jobs/r/events", event);

async function jobRow() {
  return t.db
    .selectFrom("jobs")
    .select(["pk", "last_seq", "skipped_items", "skipped_bytes"])
    .where("id", "=", "r")
    .executeTakeFirstOrThrow();
}

describe("event ingest from several instances at once", () => {
  it("applies a batch of skipped items sent to both instances at the same time exactly once", async () => {
    const batch = { seq: 2, type: "skipped", items: [item("a"), item("b"), item("c")] };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(i, batch)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const job = await jobRow();
    expect(job).toMatchObject({ last_seq: 2, skipped_items: 3, skipped_bytes: 300 });
    const events = await t.db.selectFrom("job_events").select("seq").where("job_pk", "=", job.pk).execute();
    expect(events.map((e) => e.seq).sort()).toEqual([1, 2]);
  });

  it("accepts one of two different events sent under the same seq and refuses the other", async () => {
    const answers = await Promise.all([
      post(0, { seq: 2, type: "skipped", items: [item("a")] }),
      post(1, { seq: 2, type: "skipped", items: [item("b"), item("c")] }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const job = await jobRow();
    const applied = answers.find((a) => a.status === 200)!.body.job.stats.skipped.items;
    expect(job).toMatchObject({ last_seq: 2, skipped_items: applied });
  });

  it("applies every event once and in order when an engine alternates between instances", async () => {
    // Sent in flight together: each seq that arrives before its predecessor is refused (409) and sent
    // again, as an engine does, until all are in.
    const events = Array.from({ length: 12 }, (_, i) => ({
      seq: i + 2,
      type: "skipped",
      items: [item(`k${i}`)],
    }));
    let pending = events;
    for (let round = 0; pending.length && round < 50; round += 1) {
      const answers = await Promise.all(pending.map((e, i) => post(i + round, e)));
      for (const a of answers) expect([200, 409], JSON.stringify(a.body)).toContain(a.status);
      pending = pending.filter((_, i) => answers[i]!.status !== 200);
    }
    expect(pending).toEqual([]);
    const job = await jobRow();
    expect(job).toMatchObject({ last_seq: 13, skipped_items: 12, skipped_bytes: 1200 });
  });
});
