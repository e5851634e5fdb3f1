import { expect } from "vitest";
import type { toJobJson } from "../jobs/job";
import { createTestApp } from "../testing/test-app";

// Shared steps of the engine-API tests: a service with one or two accounts, and short ways to create
// connectors and jobs and to send events, each checking what the API answered.

export type TestService = Awaited<ReturnType<typeof createTestApp>>;
export type Engine = Awaited<ReturnType<TestService["addAccount"]>>;

/** A job as the API shows it, and the answer to an accepted event. */
export type JobJson = ReturnType<typeof toJobJson>;
export type EventAnswer = { job: JobJson; cancelRequested: boolean };

/** What an answer carried: its status, its Content-Type, and its body parsed as JSON (null if none). */
// biome-ignore lint/suspicious/noExplicitAny: a parsed response body; each test checks the shape it expects.
export type Answer = { status: number; type: string; body: any; headers: Headers };

export async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", body, headers: res.headers };
}

export async function send(
  engine: Engine,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Answer> {
  return answer(await engine.call(method, path, body, headers));
}

/** A fresh service with one account ("SVC-1") and its engine. */
export async function setup() {
  const t = await createTestApp();
  const engine = await t.addAccount("SVC-1");
  return { t, engine };
}

export const T0 = "2026-11-27T12:00:00.000Z";

export async function putConnector(
  engine: Engine,
  id = "c1",
  body: { name: string; kind: string } = { name: "Contoso Microsoft 365", kind: "microsoft_365" },
): Promise<Answer> {
  const a = await send(engine, "PUT", `/connectors/${id}`, body);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
  return a;
}

export type JobInput = {
  id: string;
  connectorId?: string;
  type?: string;
  description?: string;
  scheduledAt?: string | null;
};

/** Creates a job (and its connector when `connector` is true); returns the job JSON. */
export async function createJob(engine: Engine, input: JobInput, connector = false): Promise<JobJson> {
  const connectorId = input.connectorId ?? "c1";
  if (connector) await putConnector(engine, connectorId);
  const a = await send(engine, "POST", "/jobs", {
    connectorId,
    type: "backup",
    description: `Job ${input.id}`,
    ...input,
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.job;
}

export async function postEvent(engine: Engine, jobId: string, event: unknown): Promise<Answer> {
  return send(engine, "POST", `/jobs/${encodeURIComponent(jobId)}/events`, event);
}

/** Sends an event that must be accepted; returns the answer body `{ job, cancelRequested }`. */
export async function accept(engine: Engine, jobId: string, event: unknown): Promise<EventAnswer> {
  const a = await postEvent(engine, jobId, event);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** A job's event stream with seq numbers assigned in order, starting at `from`. */
export class Stream {
  constructor(
    readonly engine: Engine,
    readonly jobId: string,
    public seq = 1,
  ) {}

  /** The next event (with its seq), without sending it. */
  next(event: Record<string, unknown>): Record<string, unknown> {
    return { seq: this.seq, ...event };
  }

  /** Sends the next event, which must be accepted. */
  async send(event: Record<string, unknown>): Promise<EventAnswer> {
    const body = await accept(this.engine, this.jobId, this.next(event));
    this.seq += 1;
    return body;
  }

  /** Sends the next event and returns whatever the API answered (seq moves on only on 200). */
  async try(event: Record<string, unknown>): Promise<Answer> {
    const a = await postEvent(this.engine, this.jobId, this.next(event));
    if (a.status === 200) this.seq += 1;
    return a;
  }

  started(at = T0) {
    return this.send({ type: "started", at });
  }
  progress(stats: Record<string, unknown>, at = T0) {
    return this.send({ type: "progress", at, stats });
  }
  skipped(items: unknown[]) {
    return this.send({ type: "skipped", items });
  }
  finished(rest: Record<string, unknown>, at = "2026-11-27T13:00:00.000Z") {
    return this.send({ type: "finished", at, ...rest });
  }
}

/** Creates a job of this type and starts it; returns its stream. */
export async function startedJob(engine: Engine, id: string, type = "backup", connectorId = "c1") {
  await createJob(engine, { id, type, connectorId });
  const s = new Stream(engine, id);
  await s.started();
  return s;
}

export function item(key: string, extra: Record<string, unknown> = {}) {
  return { key, name: `Item ${key}`, kind: "file", size: 100, reason: "throttled", ...extra };
}

/** Checks an answer is an RFC 9457 problem with this status (and, for validation, this field). */
export function expectProblem(a: Answer, status: number, field?: string) {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  expect(a.type).toMatch(/^application\/problem\+json/);
  expect(a.body).toMatchObject({ status, title: expect.any(String) });
  expect(a.body.title.length).toBeGreaterThan(0);
  if (field !== undefined) expect(a.body.field, JSON.stringify(a.body)).toBe(field);
}

export async function getJob(engine: Engine, id: string | null): Promise<JobJson> {
  const a = await send(engine, "GET", `/jobs/${encodeURIComponent(id ?? "")}`);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body.job;
}

/** Inserts a user of the account directly (the engine API has none; cancelling needs one). */
export async function addUser(t: TestService, accountId: number, email = "admin@example.com") {
  return t.db
    .insertInto("users")
    .values({ account_id: accountId, email, password_hash: "x", time_zone: null, created_at: T0 })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
}
