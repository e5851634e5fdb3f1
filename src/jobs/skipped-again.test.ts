import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR } from "../clock";
import { createJob, type Engine, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { findSkippedAgain } from "./skipped-again";

// "Which items keep being skipped?" (issue 4 §5): items skipped by two or more consecutive backups of a
// connector, over a crafted sequence of backups. Only backups that reached the items (Successful,
// Incomplete, or Unsuccessful because every changed item was skipped) count: failed, cancelled and
// running backups, restores and other connectors do not break or extend a streak.

let t: TestService;
let engine: Engine;
let user: SignedInUser;

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1", { name: "Contoso Microsoft 365", kind: "microsoft_365" });
  await putConnector(engine, "c2", { name: "Other connector", kind: "sharepoint" });
  user = await signIn(t, engine.account.id);
});
afterEach(() => t.close());

const DAY0 = Date.parse("2026-11-20T02:00:00.000Z");
const startOf = (n: number) => new Date(DAY0 + n * DAY).toISOString();

type Run = {
  id: string;
  /** Day number after 20 Nov (its start time), or a fraction for jobs squeezed in between. */
  day: number;
  keys: string[];
  outcome?: "completed" | "stopped" | "failed" | "cancelled" | null;
  type?: string;
  connectorId?: string;
  names?: Record<string, Record<string, unknown>>;
  /** A completed backup that added and removed nothing: Unsuccessful when it skipped something. */
  nothingBackedUp?: boolean;
};

async function run({
  id,
  day,
  keys,
  outcome = "completed",
  type = "backup",
  connectorId = "c1",
  names = {},
  nothingBackedUp = false,
}: Run) {
  await createJob(engine, { id, type, connectorId, description: `${type} ${id}` });
  const s = new Stream(engine, id);
  await s.started(startOf(day));
  if (keys.length) await s.skipped(keys.map((k) => item(k, { name: `Item ${k}`, ...names[k] })));
  if (outcome === null) return;
  const reason =
    outcome === "failed"
      ? "internal_error"
      : outcome === "stopped"
        ? "api_limit_reached"
        : outcome === "cancelled"
          ? "service_interrupted"
          : undefined;
  // A completed backup backs something up, so that it is Successful (PRODUCT.md §2), unless told not to.
  const stats =
    outcome === "completed" && type === "backup" && !nothingBackedUp
      ? { stats: { added: { items: 1, bytes: 10 } } }
      : {};
  await s.finished(
    { outcome, ...(reason ? { reason } : {}), ...stats },
    new Date(Date.parse(startOf(day)) + HOUR).toISOString(),
  );
}

/**
 * Backups of c1, oldest first:            A  B  C  D  E  F
 *   b1 (Successful)                        x  x
 *   b2 (Successful)                        x  x     x
 *   b3 (Incomplete)                        x  x        x
 *   bF (Unsuccessful: failed)                 .     .  .  .   (does not count, whatever it reports)
 *   b4 (Successful)                           x     x  x  x
 *   bC (Cancelled)                         .  .  .  .  .  .   (does not count)
 *   b5 (Successful)                        x              x
 *   b6 (Successful, latest)                x     x        x
 *   b7 (In progress)                          .  .            (does not count)
 * plus a restore of c1 and a backup of c2 that skip everything.
 */
async function craftedSequence() {
  await run({ id: "b1", day: 1, keys: ["A", "B"] });
  await run({ id: "b2", day: 2, keys: ["A", "B", "D"] });
  await run({ id: "b3", day: 3, keys: ["A", "B", "E"], outcome: "stopped" });
  await run({ id: "bF", day: 3.5, keys: ["B", "D", "E", "F"], outcome: "failed" });
  await run({ id: "b4", day: 4, keys: ["B", "D", "E", "F"] });
  await run({ id: "bC", day: 4.5, keys: ["A", "B", "C", "D", "E", "F"], outcome: "cancelled" });
  await run({ id: "b5", day: 5, keys: ["A", "F"] });
  await run({
    id: "b6",
    day: 6,
    keys: ["A", "C", "F"],
    names: { A: { name: "A, renamed", path: "/Shared/A", reason: "api_error", kind: "mail" } },
  });
  await run({ id: "b7", day: 6.5, keys: ["B", "C"], outcome: null });
  await run({ id: "r1", day: 5.5, keys: ["A", "B", "C", "D", "E", "F"], type: "restore" });
  await run({ id: "o1", day: 5, keys: ["C", "D"], connectorId: "c2" });
  await run({ id: "o2", day: 6, keys: ["C", "D"], connectorId: "c2" });
}

async function connectorPk(id: string) {
  const c = await t.db.selectFrom("connectors").select("pk").where("id", "=", id).executeTakeFirstOrThrow();
  return c.pk;
}

describe("the streak", () => {
  it("counts consecutive counted backups up to each item's latest skip", async () => {
    await craftedSequence();
    const found = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk: await connectorPk("c1") },
      { order: "streak", limit: null },
    );
    expect(found.map((i) => [i.key, i.streak, i.firstSeen, i.lastSeen, i.ongoing])).toEqual([
      ["B", 4, startOf(1), startOf(4), false], // b1–b4; the failed bF between b3 and b4 does not break it
      ["F", 3, startOf(4), startOf(6), true], // b4–b6; the cancelled bC does not break it
      ["A", 2, startOf(5), startOf(6), true], // skipped in b1–b3, not b4, then b5–b6: the latest run counts
      ["E", 2, startOf(3), startOf(4), false], // an Incomplete backup counts
    ]);
    // C: only b6 (b7 is still running); D: b2 and b4 with b3 between: never twice in a row.
    const a = found.find((i) => i.key === "A")!;
    expect(a).toMatchObject({ name: "A, renamed", path: "/Shared/A", kind: "mail", lastReason: "api_error" });
  });

  it("sorts by most recent first when asked", async () => {
    await craftedSequence();
    const found = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk: await connectorPk("c1") },
      { order: "recent", limit: 3 },
    );
    expect(found.map((i) => i.key)).toEqual(["F", "A", "B"]);
  });

  it("a newer backup that no longer skips an item ends its streak as “not ongoing”", async () => {
    await run({ id: "b1", day: 1, keys: ["A"] });
    await run({ id: "b2", day: 2, keys: ["A"] });
    const pk = await connectorPk("c1");
    const before = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk },
      { order: "streak", limit: null },
    );
    expect(before.map((i) => [i.key, i.streak, i.ongoing])).toEqual([["A", 2, true]]);
    await run({ id: "b3", day: 3, keys: [] });
    const after = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk },
      { order: "streak", limit: null },
    );
    expect(after.map((i) => [i.key, i.streak, i.ongoing])).toEqual([["A", 2, false]]);
  });

  it("counts a backup that completed with every changed item skipped (Unsuccessful, all_items_skipped): it reached the items", async () => {
    await run({ id: "b1", day: 1, keys: ["A", "B"] });
    await run({ id: "b2", day: 2, keys: ["A", "B"], nothingBackedUp: true });
    await run({ id: "b3", day: 3, keys: ["A"] });
    const status = await t.db
      .selectFrom("jobs")
      .select(["status", "reason"])
      .where("id", "=", "b2")
      .executeTakeFirstOrThrow();
    expect(status).toEqual({ status: "unsuccessful", reason: "all_items_skipped" });
    const found = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk: await connectorPk("c1") },
      { order: "streak", limit: null },
    );
    expect(found.map((i) => [i.key, i.streak, i.ongoing])).toEqual([
      ["A", 3, true],
      ["B", 2, false],
    ]);
  });

  it("leaves out backups whose skipped-items report was purged", async () => {
    await run({ id: "b1", day: 1, keys: ["A"] });
    await run({ id: "b2", day: 2, keys: ["A"] });
    await run({ id: "b3", day: 3, keys: ["A"] });
    await t.db
      .updateTable("jobs")
      .set({ skipped_purged_at: t.clock.now().toISOString() })
      .where("id", "=", "b1")
      .execute();
    const found = await findSkippedAgain(
      t.db,
      { accountId: engine.account.id, pk: await connectorPk("c1") },
      { order: "streak", limit: null },
    );
    expect(found.map((i) => [i.key, i.streak])).toEqual([["A", 2]]);
  });
});

describe("/connectors/:id/skipped", () => {
  it("lists the items with their streak, ongoing state and last reason", async () => {
    await craftedSequence();
    const res = await user.get("/connectors/c1/skipped");
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = [
      ...html.matchAll(
        /<span class="item-name">([^<]+)<\/span>[\s\S]*?<strong>(\d+)<\/strong>(<span class="sub">still skipped<\/span>)?/g,
      ),
    ].map((m) => [m[1], Number(m[2]), Boolean(m[3])]);
    expect(rows).toEqual([
      ["Item B", 4, false],
      ["Item F", 3, true],
      ["A, renamed", 2, true],
      ["Item E", 2, false],
    ]);
    expect(html).toContain("4 items");
    expect(html).toContain("API error");
  });

  it("says so when nothing keeps being skipped", async () => {
    await run({ id: "b1", day: 1, keys: ["A"] });
    const html = await (await user.get("/connectors/c1/skipped")).text();
    expect(html).toContain("Nothing keeps being skipped");
  });

  it("downloads the same list as CSV", async () => {
    await craftedSequence();
    const res = await user.get("/connectors/c1/skipped.csv?order=streak");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="skipped-again_Contoso-Microsoft-365_2026-11-27\.csv"/,
    );
    const records: string[][] = parse((await res.text()).replace(/^\uFEFF/, ""));
    expect(records[0]).toEqual([
      "Connector",
      "Item key",
      "Name",
      "Path",
      "Kind",
      "Backups in a row",
      "First skipped (UTC)",
      "Last skipped (UTC)",
      "Still skipped",
      "Last reason",
    ]);
    expect(records.slice(1).map((r) => [r[1], r[5], r[6], r[7], r[8], r[9]])).toEqual([
      ["B", "4", startOf(1), startOf(4), "no", "throttled"],
      ["F", "3", startOf(4), startOf(6), "yes", "throttled"],
      ["A", "2", startOf(5), startOf(6), "yes", "api_error"],
      ["E", "2", startOf(3), startOf(4), "no", "throttled"],
    ]);
  });

  it("refuses an unknown sort with 400", async () => {
    expect((await user.get("/connectors/c1/skipped?order=size")).status).toBe(400);
    expect((await user.get("/connectors/c1/skipped.csv?order=size")).status).toBe(400);
  });
});

describe("the report's “also skipped by the previous backup”", () => {
  async function overlap(jobId: string) {
    const html = await (await user.get(`/jobs/${jobId}`)).text();
    const m =
      /(\d+) of these were also skipped by the previous backup \(<\/span><a href="\/jobs\/([^"]+)"/.exec(
        html,
      );
    return m ? { count: Number(m[1]), previous: m[2] } : null;
  }

  it("counts the items the connector's previous counted backup skipped too, and links to it", async () => {
    await craftedSequence();
    expect(await overlap("b6")).toEqual({ count: 2, previous: "b5" }); // A and F
    expect(await overlap("b5")).toEqual({ count: 1, previous: "b4" }); // F; the cancelled bC is passed over
    expect(await overlap("b4")).toEqual({ count: 2, previous: "b3" }); // B and E; the failed bF is passed over
    expect(await overlap("b1")).toBeNull(); // nothing before it
    const html = await (await user.get("/jobs/b6")).text();
    expect(html).toContain('href="/connectors/c1/skipped"');
  });

  it("takes a backup Unsuccessful because every changed item was skipped as the previous backup", async () => {
    await run({ id: "b1", day: 1, keys: ["A", "B"], nothingBackedUp: true });
    await run({ id: "b2", day: 2, keys: ["A", "B", "C"] });
    expect(await overlap("b2")).toEqual({ count: 2, previous: "b1" });
  });

  it("says nothing when none of the items were skipped before", async () => {
    await run({ id: "b1", day: 1, keys: ["A"] });
    await run({ id: "b2", day: 2, keys: ["B"] });
    expect(await overlap("b2")).toBeNull();
  });
});
