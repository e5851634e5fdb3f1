import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "./clock";
import { takeLease } from "./db/lease";
import { runHousekeeping } from "./housekeeping";
import { createLogger } from "./logger";
import { createTestApp } from "./testing/test-app";

// The clean-up (the retention purge among it) runs on one instance at a time, however many ask.

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const deps = (db = t.db) => ({ db, clock: t.clock, config: t.config, logger: createLogger("silent") });

/** A job that ended long ago with one skipped item, which the retention purge removes. */
async function expiredReport() {
  const account = await t.addAccount("SVC-1");
  await account.call("PUT", "/connectors/c1", { name: "Contoso", kind: "microsoft_365" });
  await account.call("POST", "/jobs", { id: "old", connectorId: "c1", type: "backup", description: "x" });
  await account.call("POST", "/jobs/old/events", { seq: 1, type: "started", at: "2026-09-01T10:00:00Z" });
  await account.call("POST", "/jobs/old/events", {
    seq: 2,
    type: "skipped",
    items: [{ key: "k", name: "k", kind: "file", size: 1, reason: "throttled" }],
  });
  const fin = await account.call("POST", "/jobs/old/events", {
    seq: 3,
    type: "finished",
    at: "2026-09-01T11:00:00Z",
    outcome: "completed",
  });
  expect(fin.status).toBe(200);
}

describe("housekeeping on several instances", () => {
  it("gives the lease to one of two instances asking at the same moment; the other skips its turn", async () => {
    await expiredReport();
    const second = t.secondInstance();
    const now = t.clock.now();
    const taken = await Promise.all([
      takeLease(t.db, "housekeeping", "a", now, 30 * MINUTE),
      takeLease(second.db, "housekeeping", "b", now, 30 * MINUTE),
    ]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    const [holder, other] = taken[0] ? ["a", deps(second.db)] : ["b", deps()];
    expect(await runHousekeeping(other, "c")).toBe(false);
    expect(await t.db.selectFrom("skipped_items").selectAll().execute()).toHaveLength(1);
    // The holder runs it (again: a renewal), then gives the lease back, and the next turn is anyone's.
    expect(await runHousekeeping(deps(), holder)).toBe(true);
    expect(await t.db.selectFrom("skipped_items").selectAll().execute()).toEqual([]);
    expect(await runHousekeeping(other, "c")).toBe(true);
  });

  it("skips its turn while another instance holds the lease, and takes over once it expires", async () => {
    await expiredReport();
    expect(await takeLease(t.db, "housekeeping", "crashed instance", t.clock.now(), 30 * MINUTE)).toBe(true);
    expect(await runHousekeeping(deps(), "a")).toBe(false);
    expect(await t.db.selectFrom("skipped_items").selectAll().execute()).toHaveLength(1);
    t.clock.advance(30 * MINUTE);
    expect(await runHousekeeping(deps(), "a")).toBe(true);
    expect(await t.db.selectFrom("skipped_items").selectAll().execute()).toEqual([]);
  });
});
