import type { Clock } from "../clock";
import { MINUTE } from "../clock";
import { findConnector } from "../connectors/connectors.repository";
import type { DbOrTx, JobUpdate } from "../db/database";
import { indexJobText, lockJob } from "../db/store";
import { inTransaction } from "../db/transaction";
import type { Job } from "./job";
import { moveJobCount } from "./job-counts";
import { findJob } from "./jobs.repository";
import { type EngineReasonCode, findReason, schedulesFollowUp } from "./reasons";
import { canBeCancelled, deriveReason, deriveStatus, finishOf, isActive } from "./rules";
import { addSkippedItems, type SkippedItemInput } from "./skipped-items.repository";
import { assignSortKey } from "./sort-key";
import { isDownloadType, type JobType, type Outcome, STAT_NAMES, type Stat, statsFor } from "./vocabulary";

// Every change to a job goes through here: the engine API and the demo engine alike. Each change is one
// transaction that also keeps the count buckets and the search index in step.

export type ReportedStats = Partial<Record<"added" | "removed" | "restored" | "overwritten", Stat>>;

export type EngineEvent =
  | { seq: number; type: "started"; at: string }
  | { seq: number; type: "progress"; at: string; stats: ReportedStats }
  | { seq: number; type: "skipped"; items: SkippedItemInput[] }
  | {
      seq: number;
      type: "finished";
      at: string;
      outcome: Outcome;
      reason?: EngineReasonCode | undefined;
      stats?: ReportedStats | undefined;
      snapshot?: { id: string; partial: boolean } | undefined;
      artifact?: { url: string; expiresAt: string; bytes: number } | undefined;
    };

export type NewJob = {
  id: string;
  connectorId: string;
  type: JobType;
  description: string;
  scheduledAt: string | null;
};

/** Why a change was refused; the API turns each into a problem response. */
export class JobChangeRefused extends Error {
  constructor(
    readonly kind: "not_found" | "conflict" | "invalid",
    message: string,
    readonly field?: string,
    readonly job?: Job,
  ) {
    super(message);
  }
}

const refuse = (kind: JobChangeRefused["kind"], message: string, field?: string, job?: Job) =>
  new JobChangeRefused(kind, message, field, job);

export function searchText(
  job: { id: string; description: string; reason: string | null },
  connectorName: string,
) {
  const reason = findReason(job.reason);
  return [job.id, connectorName, job.description, reason ? `${reason.title} ${reason.code}` : ""].join(" ");
}

/**
 * Puts a renamed connector's new name in the search text of all its jobs, so that free text finds them
 * by the name the admin now sees. Read in keyset chunks: a connector can have many jobs.
 */
export async function reindexConnectorJobs(trx: DbOrTx, connectorPk: number, connectorName: string) {
  let afterPk = 0;
  for (;;) {
    const rows = await trx
      .selectFrom("jobs")
      .select(["pk", "sort_key", "id", "description", "reason"])
      .where("connector_pk", "=", connectorPk)
      .where("pk", ">", afterPk)
      .orderBy("pk")
      .limit(1000)
      .execute();
    for (const row of rows) {
      await indexJobText(trx, row.sort_key!, searchText(row, connectorName), row.sort_key);
    }
    if (rows.length < 1000) return;
    afterPk = rows[rows.length - 1]!.pk;
  }
}

async function insertJob(
  trx: DbOrTx,
  accountId: number,
  connector: { pk: number; name: string },
  input: Omit<NewJob, "connectorId"> & { retryOfJobPk?: number },
  now: string,
): Promise<number> {
  const sortAt = input.scheduledAt ?? now;
  const row = await trx
    .insertInto("jobs")
    .values({
      account_id: accountId,
      id: input.id,
      connector_pk: connector.pk,
      type: input.type,
      status: "scheduled",
      description: input.description,
      scheduled_at: input.scheduledAt,
      sort_at: sortAt,
      retry_of_job_pk: input.retryOfJobPk ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning("pk")
    .executeTakeFirstOrThrow();
  await moveJobCount(trx, null, { accountId, sortAt, type: input.type, status: "scheduled" });
  const key = await assignSortKey(trx, { pk: row.pk, sortAt });
  await indexJobText(trx, key, searchText({ ...input, reason: null }, connector.name), null);
  return row.pk;
}

/** Registers a job an engine announces; the same ID with the same fields again is not an error. */
export async function registerJob(
  db: DbOrTx,
  clock: Clock,
  accountId: number,
  input: NewJob,
): Promise<{ created: boolean; job: Job }> {
  return inTransaction(db, async (trx) => {
    const existing = await findJob(trx, accountId, input.id);
    if (existing) {
      const same =
        existing.connectorId === input.connectorId &&
        existing.type === input.type &&
        existing.description === input.description &&
        existing.scheduledAt === input.scheduledAt;
      if (!same) {
        throw refuse(
          "conflict",
          `A job with ID "${input.id}" already exists with different fields.`,
          "id",
          existing,
        );
      }
      return { created: false, job: existing };
    }
    const connector = await findConnector(trx, accountId, input.connectorId);
    if (!connector) throw refuse("not_found", `No connector with ID "${input.connectorId}".`, "connectorId");
    await insertJob(trx, accountId, connector, input, clock.now().toISOString());
    return { created: true, job: (await findJob(trx, accountId, input.id))! };
  });
}

function checkStats(type: JobType, stats: ReportedStats | undefined): void {
  if (!stats) return;
  const allowed = statsFor(type);
  for (const name of Object.keys(stats)) {
    if (!allowed.includes(name as never)) {
      const what = allowed.length
        ? `only ${allowed.filter((s) => s !== "skipped").join(" and ")}`
        : "no statistics";
      throw refuse("invalid", `A ${type} job reports ${what}.`, `stats.${name}`);
    }
  }
}

function statColumns(stats: ReportedStats): JobUpdate {
  const set: JobUpdate = {};
  if (stats.added) Object.assign(set, { added_items: stats.added.items, added_bytes: stats.added.bytes });
  if (stats.removed)
    Object.assign(set, { removed_items: stats.removed.items, removed_bytes: stats.removed.bytes });
  if (stats.restored)
    Object.assign(set, { restored_items: stats.restored.items, restored_bytes: stats.restored.bytes });
  if (stats.overwritten)
    Object.assign(set, {
      overwritten_items: stats.overwritten.items,
      overwritten_bytes: stats.overwritten.bytes,
    });
  return set;
}

const STAT_COLUMNS = STAT_NAMES.flatMap((s) => [`${s}_items` as const, `${s}_bytes` as const]);

/**
 * A job's statistics never go below zero (the database checks it too, see the migration
 * statistics_never_negative): a change that would is a bug, and nothing of it is applied.
 */
function assertStatistics(set: JobUpdate): void {
  for (const column of STAT_COLUMNS) {
    const value = set[column];
    if (typeof value === "number" && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new Error(`refusing to store ${column} = ${value}: statistics are whole numbers, never negative`);
    }
  }
}

const FOLLOW_UP_DELAY: Partial<Record<string, number>> = {
  job_aborted: 15 * MINUTE,
  authorization_server_unavailable: 30 * MINUTE,
};

async function scheduleFollowUp(trx: DbOrTx, job: Job, endedAt: string, now: string): Promise<number> {
  let id = "";
  for (let n = 1; n < 100; n += 1) {
    const candidate = `${job.id.slice(0, 110)}-retry-${n}`;
    const taken = await trx
      .selectFrom("jobs")
      .select("pk")
      .where("account_id", "=", job.accountId)
      .where("id", "=", candidate)
      .executeTakeFirst();
    if (!taken) {
      id = candidate;
      break;
    }
  }
  if (!id) id = `retry-${crypto.randomUUID()}`;
  const delay = FOLLOW_UP_DELAY[job.reason ?? ""] ?? 15 * MINUTE;
  const scheduledAt = new Date(new Date(endedAt).getTime() + delay).toISOString();
  return insertJob(
    trx,
    job.accountId,
    { pk: job.connectorPk, name: job.connectorName },
    { id, type: job.type, description: job.description, scheduledAt, retryOfJobPk: job.pk },
    now,
  );
}

/** Applies one engine event to a job, in order and exactly once. */
export async function recordEvent(
  db: DbOrTx,
  clock: Clock,
  accountId: number,
  jobId: string,
  event: EngineEvent,
  bodyHash: string,
): Promise<{ replayed: boolean; job: Job }> {
  return inTransaction(db, async (trx) => {
    // Another instance may be applying an event of the same job: wait for it, then read what it left.
    await lockJob(trx, accountId, jobId);
    const job = await findJob(trx, accountId, jobId);
    if (!job) throw refuse("not_found", `No job with ID "${jobId}".`);

    const accepted = await trx
      .selectFrom("job_events")
      .select("body_hash")
      .where("job_pk", "=", job.pk)
      .where("seq", "=", event.seq)
      .executeTakeFirst();
    if (accepted) {
      if (accepted.body_hash === bodyHash) return { replayed: true, job };
      throw refuse("conflict", `Event ${event.seq} was already accepted with a different body.`, "seq", job);
    }
    if (!isActive(job.status)) {
      const by = job.cancelRequestedAt ? " (a user cancelled it)" : "";
      throw refuse(
        "conflict",
        `The job has already finished${by}; no further events are accepted.`,
        "seq",
        job,
      );
    }
    if (event.seq !== job.lastSeq + 1) {
      throw refuse("conflict", `Expected event ${job.lastSeq + 1} next, got ${event.seq}.`, "seq", job);
    }

    const now = clock.now().toISOString();
    const set: JobUpdate = { last_seq: event.seq, updated_at: now };
    let status = job.status;
    let sortAt = job.sortAt;

    switch (event.type) {
      case "started": {
        if (job.startedAt) throw refuse("conflict", "The job has already started.", "type", job);
        status = "in_progress";
        sortAt = event.at;
        Object.assign(set, { status, started_at: event.at, sort_at: sortAt });
        break;
      }
      case "progress": {
        if (job.status === "scheduled")
          throw refuse("conflict", "Send a started event before progress.", "type", job);
        checkStats(job.type, event.stats);
        Object.assign(set, statColumns(event.stats));
        break;
      }
      case "skipped": {
        if (job.status === "scheduled")
          throw refuse("conflict", "Send a started event before skipped items.", "type", job);
        if (isDownloadType(job.type))
          throw refuse("invalid", `A ${job.type} job has no skipped items.`, "items");
        const delta = await addSkippedItems(trx, job, event.items);
        Object.assign(set, {
          skipped_items: job.stats.skipped.items + delta.items,
          skipped_bytes: job.stats.skipped.bytes + delta.bytes,
        });
        break;
      }
      case "finished": {
        checkStats(job.type, event.stats);
        if (event.snapshot && job.type !== "backup") {
          throw refuse("invalid", "Only backups produce a snapshot.", "snapshot");
        }
        if (event.artifact && !isDownloadType(job.type)) {
          throw refuse("invalid", "Only PST and ZIP downloads produce a file.", "artifact");
        }
        if (job.startedAt && event.at < job.startedAt) {
          throw refuse("invalid", "The job cannot end before it started.", "at");
        }
        const facts = finishOf(job.type, event.outcome, { ...job.stats, ...event.stats });
        status = deriveStatus(facts);
        const reason = deriveReason(facts, status, event.reason ?? null);
        Object.assign(set, event.stats ? statColumns(event.stats) : {}, {
          status,
          reason,
          ended_at: event.at,
          snapshot_id: event.snapshot?.id ?? null,
          snapshot_partial: event.snapshot ? (event.snapshot.partial ? 1 : 0) : null,
          artifact_url: event.artifact?.url ?? null,
          artifact_expires_at: event.artifact?.expiresAt ?? null,
          artifact_bytes: event.artifact?.bytes ?? null,
        });
        if (reason && status !== "successful" && schedulesFollowUp(reason, job.type)) {
          set.follow_up_job_pk = await scheduleFollowUp(trx, { ...job, reason }, event.at, now);
        }
        if (reason) {
          await indexJobText(
            trx,
            job.sortKey,
            searchText({ ...job, reason }, job.connectorName),
            job.sortKey,
          );
        }
        break;
      }
    }

    assertStatistics(set);
    await trx
      .insertInto("job_events")
      .values({ job_pk: job.pk, seq: event.seq, type: event.type, body_hash: bodyHash, received_at: now })
      .execute();
    await trx.updateTable("jobs").set(set).where("pk", "=", job.pk).execute();
    if (sortAt !== job.sortAt) {
      // Started later (or earlier) than scheduled: the job moves in the list, and its search entry with it.
      const key = await assignSortKey(trx, { pk: job.pk, sortAt });
      await indexJobText(trx, key, searchText(job, job.connectorName), job.sortKey);
    }
    await moveJobCount(
      trx,
      { accountId, sortAt: job.sortAt, type: job.type, status: job.status },
      { accountId, sortAt, type: job.type, status },
    );
    return { replayed: false, job: (await findJob(trx, accountId, jobId))! };
  });
}

/** `made` is true only for the one call whose update asked for the cancel: the one to audit. */
export type CancelOutcome =
  | { kind: "cancelled"; job: Job; made: boolean }
  | { kind: "cancelling"; job: Job; made: boolean }
  | { kind: "not_cancellable"; job: Job; made: false };

/**
 * A user asks to cancel a restore. One conditional update decides, so a cancel racing the engine's
 * `finished` ends in exactly one state: a job not yet started is Cancelled at once; a running one keeps
 * running until its engine, told in its next event answer, reports `cancelled`.
 */
export async function requestCancel(
  db: DbOrTx,
  clock: Clock,
  accountId: number,
  jobId: string,
  user: { id: number; email: string },
): Promise<CancelOutcome | undefined> {
  return inTransaction(db, async (trx) => {
    const job = await findJob(trx, accountId, jobId);
    if (!job) return undefined;
    if (!canBeCancelled(job)) return { kind: "not_cancellable", job, made: false };
    if (job.cancelRequestedAt) return { kind: "cancelling", job, made: false };
    const now = clock.now().toISOString();
    const update = await trx
      .updateTable("jobs")
      .set((eb) => ({
        cancel_requested_at: now,
        cancel_requested_by: user.id,
        cancel_requested_by_email: user.email,
        status: eb.case().when("status", "=", "scheduled").then("cancelled").else(eb.ref("status")).end(),
        ended_at: eb.case().when("status", "=", "scheduled").then(now).else(eb.ref("ended_at")).end(),
        updated_at: now,
      }))
      .where("pk", "=", job.pk)
      .where("status", "in", ["scheduled", "in_progress"])
      .where("cancel_requested_at", "is", null)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) === 0) {
      const current = (await findJob(trx, accountId, jobId))!;
      return current.cancelRequestedAt
        ? { kind: "cancelling", job: current, made: false }
        : { kind: "not_cancellable", job: current, made: false };
    }
    const after = (await findJob(trx, accountId, jobId))!;
    await moveJobCount(
      trx,
      { accountId, sortAt: job.sortAt, type: job.type, status: job.status },
      { accountId, sortAt: after.sortAt, type: after.type, status: after.status },
    );
    return after.status === "cancelled"
      ? { kind: "cancelled", job: after, made: true }
      : { kind: "cancelling", job: after, made: true };
  });
}
