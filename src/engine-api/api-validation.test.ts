import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findJob } from "../jobs/jobs.repository";
import type { StatName } from "../jobs/vocabulary";
import {
  answer,
  type Engine,
  expectProblem,
  getJob,
  item,
  postEvent,
  putConnector,
  Stream,
  send,
  setup,
  startedJob,
  T0,
  type TestService,
} from "./api-test-helpers";
import { MAX_BODY_BYTES } from "./engine-api.routes";

// Bad input gets a 400 problem+json that names the field, never a 500 and never a silent ignore; and
// a refused event changes nothing and leaves its seq free.

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
  await putConnector(engine, "c1");
});
afterEach(() => t.close());

const job = { id: "j1", connectorId: "c1", type: "backup", description: "Backup" };
const END = "2026-11-27T13:00:00.000Z";

/** Checks that the job still is where the refused event found it: nothing applied, seq still free. */
async function expectUnchanged(jobId: string, lastSeq: number) {
  const stored = await findJob(t.db, engine.account.id, jobId);
  expect(stored!.lastSeq).toBe(lastSeq);
}

describe("request bodies that are not JSON", () => {
  it("answers 400 naming body for malformed JSON", async () => {
    const a = await send(engine, "POST", "/jobs", '{"id": "j1", ');
    expectProblem(a, 400, "body");
    expect(a.body.detail).toMatch(/JSON/);
  });

  it("answers 400 naming body for a JSON value that is not an object", async () => {
    expectProblem(await send(engine, "POST", "/jobs", "[1,2]"), 400, "body");
    expectProblem(await send(engine, "POST", "/jobs", "null"), 400, "body");
    expectProblem(await send(engine, "PUT", "/connectors/c2", '"text"'), 400, "body");
  });

  it("answers 400 to an empty body", async () => {
    expectProblem(await send(engine, "POST", "/jobs", ""), 400, "body");
  });

  it("answers 400 naming body for malformed JSON in an event", async () => {
    await send(engine, "POST", "/jobs", job);
    expectProblem(await postEvent(engine, "j1", "{seq: 1}"), 400, "body");
    await expectUnchanged("j1", 0);
  });

  it("answers 415 problem+json to a body that is not sent as JSON", async () => {
    const a = await send(engine, "POST", "/jobs", JSON.stringify(job), { "content-type": "text/plain" });
    expectProblem(a, 415);
    const form = await send(engine, "PUT", "/connectors/c9", "name=x&kind=other", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expectProblem(form, 415);
    expectProblem(await send(engine, "GET", "/connectors/c9"), 404);
  });

  it("answers 415 to a body without a Content-Type", async () => {
    const res = await t.app.request("/api/v1/jobs", {
      method: "POST",
      headers: { authorization: `Bearer ${engine.token}` },
      body: new TextEncoder().encode(JSON.stringify(job)),
    });
    expectProblem(await answer(res), 415);
  });

  it("accepts JSON with a charset parameter", async () => {
    const a = await send(engine, "POST", "/jobs", job, { "content-type": "application/json; charset=utf-8" });
    expect(a.status).toBe(201);
  });
});

describe("request body size", () => {
  it("answers 413 problem+json to a body over 16 MiB", async () => {
    const padded = `{"name":"n","kind":"other"}${" ".repeat(MAX_BODY_BYTES)}`;
    const a = await send(engine, "PUT", "/connectors/big", padded);
    expect(MAX_BODY_BYTES).toBe(16 * 1024 * 1024);
    expectProblem(a, 413);
    expectProblem(await send(engine, "GET", "/jobs/none"), 404);
  });

  it("accepts a body of exactly 16 MiB", async () => {
    const json = '{"name":"n","kind":"other"}';
    const a = await send(engine, "PUT", "/connectors/big", json + " ".repeat(MAX_BODY_BYTES - json.length));
    expect(a.status).toBe(201);
  });

  it("answers 413 to a large event even when it declares its length", async () => {
    await send(engine, "POST", "/jobs", job);
    const body = `{"seq":1,"type":"started","at":"${T0}"}${" ".repeat(MAX_BODY_BYTES)}`;
    const a = await send(engine, "POST", "/jobs/j1/events", body, { "content-length": String(body.length) });
    expectProblem(a, 413);
    await expectUnchanged("j1", 0);
  });
});

describe("job creation", () => {
  it.each([
    ["id", { id: undefined }],
    ["connectorId", { connectorId: undefined }],
    ["type", { type: undefined }],
    ["description", { description: undefined }],
  ])("answers 400 naming %s when it is missing", async (field, change) => {
    const a = await send(engine, "POST", "/jobs", { ...job, ...change });
    expectProblem(a, 400, field);
  });

  it.each([
    ["id", { id: 42 }],
    ["connectorId", { connectorId: ["c1"] }],
    ["type", { type: 1 }],
    ["description", { description: { text: "x" } }],
    ["scheduledAt", { scheduledAt: 1764244800000 }],
  ])("answers 400 naming %s when it has the wrong type", async (field, change) => {
    expectProblem(await send(engine, "POST", "/jobs", { ...job, ...change }), 400, field);
  });

  it("answers 400 naming type for an unknown job type", async () => {
    const a = await send(engine, "POST", "/jobs", { ...job, type: "archive" });
    expectProblem(a, 400, "type");
    expect(a.body.detail).toContain("backup");
  });

  it("answers 400 naming id for a job ID over 128 characters, and accepts 128", async () => {
    expectProblem(await send(engine, "POST", "/jobs", { ...job, id: "j".repeat(129) }), 400, "id");
    expect((await send(engine, "POST", "/jobs", { ...job, id: "j".repeat(128) })).status).toBe(201);
  });

  it("answers 400 naming connectorId for a connector ID over 128 characters", async () => {
    expectProblem(
      await send(engine, "POST", "/jobs", { ...job, connectorId: "c".repeat(129) }),
      400,
      "connectorId",
    );
  });

  it("answers 400 for empty IDs and IDs with characters outside the allowed set", async () => {
    expectProblem(await send(engine, "POST", "/jobs", { ...job, id: "" }), 400, "id");
    expectProblem(await send(engine, "POST", "/jobs", { ...job, id: "a/b" }), 400, "id");
    expectProblem(await send(engine, "POST", "/jobs", { ...job, id: "job 1" }), 400, "id");
  });

  it("answers 400 naming description for a description over 2000 characters, and accepts 2000", async () => {
    expectProblem(
      await send(engine, "POST", "/jobs", { ...job, description: "d".repeat(2001) }),
      400,
      "description",
    );
    expect((await send(engine, "POST", "/jobs", { ...job, description: "d".repeat(2000) })).status).toBe(201);
  });

  it.each([
    "tomorrow",
    "2026-11-27",
    "2026-11-27T12:00:00",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "1999-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
    "",
  ])("answers 400 naming scheduledAt for the timestamp %j", async (scheduledAt) => {
    expectProblem(await send(engine, "POST", "/jobs", { ...job, scheduledAt }), 400, "scheduledAt");
  });

  it("lists every bad field, naming the first in field", async () => {
    const a = await send(engine, "POST", "/jobs", { id: "", type: "x" });
    expectProblem(a, 400, "id");
    const fields = a.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["id", "connectorId", "type", "description"]));
  });

  it("creates nothing when the body is refused", async () => {
    await send(engine, "POST", "/jobs", { ...job, type: "nope" });
    expectProblem(await send(engine, "GET", "/jobs/j1"), 404);
  });
});

describe("event envelope", () => {
  let s: Stream;
  beforeEach(async () => {
    s = await startedJob(engine, "j1", "backup");
  });

  it("answers 400 naming type for an unknown event type", async () => {
    expectProblem(await s.try({ type: "paused", at: T0 }), 400, "type");
    expectProblem(await postEvent(engine, "j1", { seq: 2 }), 400, "type");
    await expectUnchanged("j1", 1);
  });

  it.each([
    ["missing", undefined],
    ["zero", 0],
    ["negative", -1],
    ["fractional", 1.5],
    ["a string", "2"],
    ["huge", 2 ** 53 + 2],
    ["null", null],
  ])("answers 400 naming seq when it is %s", async (_, seq) => {
    const a = await postEvent(engine, "j1", { seq, type: "progress", at: T0, stats: {} });
    expectProblem(a, 400, "seq");
    await expectUnchanged("j1", 1);
  });

  it.each([
    ["missing", undefined],
    ["not a timestamp", "soon"],
    ["without a time zone", "2026-11-27T12:00:00"],
    ["a number", 1764244800],
    ["an impossible date", "2026-02-30T10:00:00Z"],
  ])("answers 400 naming at when it is %s", async (_, at) => {
    expectProblem(await s.try({ type: "progress", at, stats: {} }), 400, "at");
    expectProblem(await s.try({ type: "finished", at, outcome: "completed" }), 400, "at");
    await expectUnchanged("j1", 1);
  });

  it("answers 400 naming the body when the event is not an object", async () => {
    expectProblem(await postEvent(engine, "j1", "[]"), 400);
  });
});

describe("progress and finished statistics", () => {
  it.each([
    ["negative", -1, "stats.added.items"],
    ["fractional", 1.5, "stats.added.items"],
    ["a string", "5", "stats.added.items"],
    ["above Number.MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER + 1, "stats.added.items"],
    ["null", null, "stats.added.items"],
  ])("answers 400 naming the field when a count is %s", async (_, value, field) => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(
      await s.try({ type: "progress", at: T0, stats: { added: { items: value, bytes: 1 } } }),
      400,
      field,
    );
    expectProblem(
      await s.try({
        type: "finished",
        at: END,
        outcome: "completed",
        stats: { added: { items: value, bytes: 1 } },
      }),
      400,
      field,
    );
    await expectUnchanged("j1", 1);
  });

  it("answers 400 to counts written in the JSON text beyond the safe integers, which JSON.parse would round", async () => {
    const s = await startedJob(engine, "j1", "backup");
    const body = (items: string) =>
      `{"seq":2,"type":"progress","at":"${T0}","stats":{"added":{"items":${items},"bytes":1}}}`;
    expectProblem(await postEvent(engine, "j1", body("9007199254740993")), 400, "stats.added.items");
    expectProblem(await postEvent(engine, "j1", body("1e30")), 400, "stats.added.items");
    expectProblem(await postEvent(engine, "j1", body("-0.5")), 400, "stats.added.items");
    expect((await s.progress({ added: { items: 1, bytes: 1 } })).job.stats.added.items).toBe(1);
  });

  it("answers 400 naming the bytes field when bytes are bad", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(
      await s.try({ type: "progress", at: T0, stats: { removed: { items: 1, bytes: -5 } } }),
      400,
      "stats.removed.bytes",
    );
    expectProblem(
      await s.try({ type: "progress", at: T0, stats: { removed: { items: 1, bytes: 1e20 } } }),
      400,
      "stats.removed.bytes",
    );
  });

  it("answers 400 when a statistic is missing items or bytes, or is not an object", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(
      await s.try({ type: "progress", at: T0, stats: { added: { items: 1 } } }),
      400,
      "stats.added.bytes",
    );
    expectProblem(await s.try({ type: "progress", at: T0, stats: { added: 5 } }), 400, "stats.added");
    expectProblem(await s.try({ type: "progress", at: T0 }), 400, "stats");
    expectProblem(await s.try({ type: "progress", at: T0, stats: [] }), 400, "stats");
  });

  it("answers 400 naming stats.skipped when an engine sends skipped statistics", async () => {
    const s = await startedJob(engine, "r", "restore");
    const skipped = { items: 1, bytes: 1 };
    const a = await s.try({ type: "progress", at: T0, stats: { skipped } });
    expectProblem(a, 400, "stats.skipped");
    expect(a.body.detail).toMatch(/skipped/);
    expectProblem(
      await s.try({ type: "finished", at: END, outcome: "completed", stats: { skipped } }),
      400,
      "stats.skipped",
    );
    expect((await getJob(engine, "r")).stats.skipped).toEqual({ items: 0, bytes: 0 });
    await expectUnchanged("r", 1);
  });

  it("answers 400 naming an unknown statistic", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(
      await s.try({ type: "progress", at: T0, stats: { deleted: { items: 1, bytes: 1 } } }),
      400,
      "stats.deleted",
    );
  });

  it.each([
    ["backup", "restored"],
    ["backup", "overwritten"],
    ["restore", "added"],
    ["restore", "removed"],
    ["item_restore", "added"],
    ["pst_download", "added"],
    ["zip_download", "restored"],
  ])("answers 400 when a %s reports %s statistics", async (type, stat) => {
    const s = await startedJob(engine, "j1", type);
    const stats = { [stat]: { items: 1, bytes: 1 } };
    expectProblem(await s.try({ type: "progress", at: T0, stats }), 400, `stats.${stat}`);
    expectProblem(
      await s.try({ type: "finished", at: END, outcome: "completed", stats }),
      400,
      `stats.${stat}`,
    );
    const stored = await getJob(engine, "j1");
    expect(stored.status).toBe("in_progress");
    expect(stored.stats[stat as StatName]).toEqual({ items: 0, bytes: 0 });
    await expectUnchanged("j1", 1);
  });
});

describe("finished", () => {
  it("answers 400 naming outcome for a missing or unknown outcome", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(await s.try({ type: "finished", at: END }), 400, "outcome");
    const a = await s.try({ type: "finished", at: END, outcome: "done" });
    expectProblem(a, 400, "outcome");
    expect(a.body.detail).toContain("completed");
    await expectUnchanged("j1", 1);
  });

  it("answers 400 naming reason for an unknown reason code", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expectProblem(
      await s.try({ type: "finished", at: END, outcome: "failed", reason: "gremlins" }),
      400,
      "reason",
    );
    expectProblem(await s.try({ type: "finished", at: END, outcome: "failed", reason: 3 }), 400, "reason");
  });

  it("answers 400 naming reason for a reason with the outcome completed", async () => {
    const s = await startedJob(engine, "j1", "backup");
    const a = await s.try({ type: "finished", at: END, outcome: "completed", reason: "incident" });
    expectProblem(a, 400, "reason");
    expect((await getJob(engine, "j1")).status).toBe("in_progress");
  });

  it.each(["items_skipped", "all_items_skipped"])(
    "answers 400 naming reason when an engine sends %s",
    async (reason) => {
      const s = await startedJob(engine, "r", "restore");
      const a = await s.try({ type: "finished", at: END, outcome: "failed", reason });
      expectProblem(a, 400, "reason");
      expect(a.body.detail).toMatch(/service/);
      await expectUnchanged("r", 1);
    },
  );

  it.each(["completed", "failed", "stopped"])(
    "answers 400 to service_interrupted with the outcome %s",
    async (outcome) => {
      const s = await startedJob(engine, "j1", "backup");
      expectProblem(
        await s.try({ type: "finished", at: END, outcome, reason: "service_interrupted" }),
        400,
        "reason",
      );
      await expectUnchanged("j1", 1);
    },
  );

  it("accepts a null reason as no reason", async () => {
    const s = await startedJob(engine, "j1", "backup");
    expect((await s.finished({ outcome: "completed", reason: null })).job.reason).toBeNull();
  });

  it.each(["restore", "item_restore", "pst_download"])(
    "answers 400 naming snapshot for a snapshot on a %s",
    async (type) => {
      const s = await startedJob(engine, "j1", type);
      const a = await s.try({
        type: "finished",
        at: END,
        outcome: "completed",
        snapshot: { id: "s", partial: false },
      });
      expectProblem(a, 400, "snapshot");
      expect((await getJob(engine, "j1")).status).toBe("in_progress");
      await expectUnchanged("j1", 1);
    },
  );

  it.each(["backup", "restore", "item_restore"])(
    "answers 400 naming artifact for an artifact on a %s",
    async (type) => {
      const s = await startedJob(engine, "j1", type);
      const artifact = { url: "https://x.example.com/f", expiresAt: END, bytes: 1 };
      expectProblem(
        await s.try({ type: "finished", at: END, outcome: "completed", artifact }),
        400,
        "artifact",
      );
      await expectUnchanged("j1", 1);
    },
  );

  it("answers 400 naming the bad part of a snapshot", async () => {
    const s = await startedJob(engine, "j1", "backup");
    const fin = (snapshot: unknown) => s.try({ type: "finished", at: END, outcome: "stopped", snapshot });
    expectProblem(await fin({ id: "s" }), 400, "snapshot.partial");
    expectProblem(await fin({ id: "s", partial: "yes" }), 400, "snapshot.partial");
    expectProblem(await fin({ id: "", partial: true }), 400, "snapshot.id");
    expectProblem(await fin({ id: "s".repeat(201), partial: true }), 400, "snapshot.id");
    expectProblem(await fin(true), 400, "snapshot");
  });

  it("answers 400 naming the bad part of an artifact", async () => {
    const s = await startedJob(engine, "d", "zip_download");
    const fin = (artifact: unknown) => s.try({ type: "finished", at: END, outcome: "completed", artifact });
    const ok = { url: "https://files.example.com/a.zip", expiresAt: END, bytes: 10 };
    expectProblem(await fin({ ...ok, url: "ftp://files.example.com/a.zip" }), 400, "artifact.url");
    expectProblem(await fin({ ...ok, url: "not a url" }), 400, "artifact.url");
    expectProblem(
      await fin({ ...ok, url: `https://x.example.com/${"a".repeat(2048)}` }),
      400,
      "artifact.url",
    );
    expectProblem(await fin({ ...ok, expiresAt: "next week" }), 400, "artifact.expiresAt");
    expectProblem(await fin({ ...ok, bytes: -1 }), 400, "artifact.bytes");
    expectProblem(await fin({ url: ok.url, expiresAt: END }), 400, "artifact.bytes");
    await expectUnchanged("d", 1);
  });
});

describe("skipped items", () => {
  let s: Stream;
  beforeEach(async () => {
    s = await startedJob(engine, "r", "restore");
  });

  it.each([
    ["key", { key: undefined }],
    ["key", { key: "" }],
    ["key", { key: "k".repeat(1025) }],
    ["name", { name: undefined }],
    ["name", { name: "" }],
    ["name", { name: "n".repeat(1025) }],
    ["path", { path: "p".repeat(4097) }],
    ["path", { path: 5 }],
    ["kind", { kind: undefined }],
    ["kind", { kind: "spreadsheet" }],
    ["reason", { reason: undefined }],
    ["reason", { reason: "bored" }],
    ["size", { size: -1 }],
    ["size", { size: 2.5 }],
    ["size", { size: "10" }],
    ["size", { size: Number.MAX_SAFE_INTEGER + 2 }],
  ])("answers 400 naming items.0.%s for %j", async (field, change) => {
    const a = await s.try({ type: "skipped", items: [item("a", change)] });
    expectProblem(a, 400, `items.0.${field}`);
    expect((await getJob(engine, "r")).stats.skipped).toEqual({ items: 0, bytes: 0 });
  });

  it("accepts the longest key, name and path", async () => {
    const long = item("k".repeat(1024), { name: "n".repeat(1024), path: "p".repeat(4096) });
    expect((await s.skipped([long])).job.stats.skipped.items).toBe(1);
  });

  it("accepts every item kind and skip reason of the contract", async () => {
    const kinds = ["file", "folder", "mail", "calendar", "contact", "site", "list", "record", "other"];
    const reasons = ["throttled", "api_error", "inaccessible", "bad_request", "bad_token", "other"];
    const items = kinds.flatMap((kind) =>
      reasons.map((reason) => item(`${kind}-${reason}`, { kind, reason })),
    );
    expect((await s.skipped(items)).job.stats.skipped.items).toBe(kinds.length * reasons.length);
  });
});

describe("events to a refused body leave the seq free", () => {
  it("accepts the corrected event under the seq a refused one used", async () => {
    await send(engine, "POST", "/jobs", job);
    const s = new Stream(engine, "j1");
    expectProblem(await s.try({ type: "started", at: "noon" }), 400, "at");
    expect((await s.started()).job.status).toBe("in_progress");
  });
});
