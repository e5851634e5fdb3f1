import { CompiledQuery, sql } from "kysely";
import { DAY, MINUTE } from "../clock";
import { CONNECTOR_KINDS } from "../connectors/connector-kinds";
import type { Db } from "../db/database";
import { analyze, rebuildSearchIndex, withoutIndexes } from "../db/store";
import { Random } from "../demo/demo-data";
import { rebuildCounts } from "../jobs/job-counts";
import { everyAccountsJobsChanged } from "../jobs/jobs-version";
import { ENGINE_REASON_CODES, findReason } from "../jobs/reasons";
import { sortKeyOf } from "../jobs/sort-key";
import { ITEM_KINDS, type JobStatus, type JobType, SKIP_REASONS } from "../jobs/vocabulary";

// Synthetic data for benchmarks: accounts BENCH-1 … BENCH-n (the first with 90 % of the jobs), jobs over
// the last year with realistic type and status mixes, descriptions with common and rare words, and
// skipped items that recur across backups. Rows go in through statements compiled once and run with new
// parameters, in large transactions, with the list indexes built after the load.

/** Words the benchmark searches for: one in about a third of descriptions, one in a handful. */
export const COMMON_WORD = "mailbox";
export const RARE_WORD = "quokka";

export type GenerateOptions = {
  jobs: number;
  connectors: number;
  accounts: number;
  skippedItems: number;
  now: Date;
  /** Days skipped items are kept after a job (the service's REPORT_RETENTION_DAYS). */
  retentionDays?: number;
  progress?: (line: string) => void;
};

const AREAS = [
  "mailbox",
  "mailbox",
  "mailbox",
  "site",
  "drive",
  "channel",
  "workspace",
  "organization",
  "directory",
  "project",
  "report",
  "ticket",
  "calendar",
  "contacts",
  "archive",
];
const TEAMS = [
  "finance",
  "sales",
  "marketing",
  "engineering",
  "legal",
  "support",
  "design",
  "operations",
  "people",
  "research",
  "security",
  "logistics",
];

function jobType(r: Random): JobType {
  const x = r.next();
  if (x < 0.88) return "backup";
  if (x < 0.93) return "restore";
  if (x < 0.98) return "item_restore";
  return x < 0.99 ? "pst_download" : "zip_download";
}

function finalStatus(r: Random): JobStatus {
  const x = r.next();
  if (x < 0.9) return "successful";
  if (x < 0.94) return "incomplete";
  if (x < 0.97) return "unsuccessful";
  return "cancelled";
}

/** Runs a compiled multi-row INSERT for rows of `width` values, `perStatement` rows at a time. */
function batchInserter(
  db: Db,
  table: string,
  columns: string[],
  perStatement: number,
  before: () => Promise<void> = async () => {},
) {
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const text = (n: number) =>
    `insert into ${table} (${columns.join(", ")}) values ${Array(n).fill(placeholders).join(", ")}`;
  const full = text(perStatement);
  let pending: unknown[] = [];
  return {
    async add(row: unknown[]) {
      pending.push(...row);
      if (pending.length === perStatement * columns.length) {
        const params = pending;
        pending = [];
        await before();
        await db.executeQuery(CompiledQuery.raw(full, params));
      }
    },
    async flush() {
      if (pending.length === 0) return;
      const params = pending;
      pending = [];
      await before();
      await db.executeQuery(CompiledQuery.raw(text(params.length / columns.length), params));
    },
  };
}

const JOB_COLUMNS = [
  "account_id",
  "id",
  "connector_pk",
  "type",
  "status",
  "reason",
  "description",
  "scheduled_at",
  "started_at",
  "ended_at",
  "sort_at",
  "sort_key",
  "added_items",
  "added_bytes",
  "removed_items",
  "removed_bytes",
  "restored_items",
  "restored_bytes",
  "overwritten_items",
  "overwritten_bytes",
  "skipped_items",
  "skipped_bytes",
  "last_seq",
  "snapshot_id",
  "snapshot_partial",
  "created_at",
  "updated_at",
];
const ITEM_COLUMNS = ["job_pk", "key", "name", "path", "kind", "size", "reason"];

export async function generateDataset(db: Db, o: GenerateOptions) {
  const started = Date.now();
  const r = new Random(42);
  const say = o.progress ?? (() => {});
  const nowMs = o.now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  // Accounts and connectors: the first account holds 90 % of both when there are several.
  const accountIds: number[] = [];
  for (let a = 1; a <= o.accounts; a += 1) {
    const serviceId = `BENCH-${a}`;
    const existing = await db
      .selectFrom("accounts")
      .select("id")
      .where("service_id", "=", serviceId)
      .executeTakeFirst();
    if (existing) throw new Error(`account ${serviceId} already exists: generate into an empty database`);
    const row = await db
      .insertInto("accounts")
      .values({ service_id: serviceId, name: `Benchmark account ${a}`, created_at: iso(nowMs) })
      .returning("id")
      .executeTakeFirstOrThrow();
    accountIds.push(row.id);
  }
  const share = (a: number) => (o.accounts === 1 ? 1 : a === 0 ? 0.9 : 0.1 / (o.accounts - 1));
  const connectors: { pk: number; accountId: number; name: string }[][] = [];
  // Every account gets at least one connector; the first gets the rest.
  const others = o.accounts === 1 ? 0 : Math.max(1, Math.round((o.connectors * 0.1) / (o.accounts - 1)));
  for (let a = 0; a < o.accounts; a += 1) {
    const count = a === 0 ? o.connectors - others * (o.accounts - 1) : others;
    const list: { pk: number; accountId: number; name: string }[] = [];
    for (let c = 0; c < count; c += 1) {
      const name = `${r.pick(TEAMS)} ${r.pick(["Microsoft 365", "SharePoint", "Exchange", "Salesforce", "Google Workspace", "Zendesk", "Entra ID", "Azure DevOps"])} ${c + 1}`;
      const row = await db
        .insertInto("connectors")
        .values({
          account_id: accountIds[a]!,
          id: `conn-${c + 1}`,
          name,
          kind: r.pick(CONNECTOR_KINDS),
          created_at: iso(nowMs - 400 * DAY),
          updated_at: iso(nowMs - 400 * DAY),
        })
        .returning("pk")
        .executeTakeFirstOrThrow();
      list.push({ pk: row.pk, accountId: accountIds[a]!, name });
    }
    connectors.push(list);
  }

  const itemsMade = await withoutIndexes(db, "jobs", async () => {
    const jobs = batchInserter(db, "jobs", JOB_COLUMNS, 1000);
    // Items refer to their job: the jobs buffered so far go in first.
    const items = batchInserter(db, "skipped_items", ITEM_COLUMNS, 4000, () => jobs.flush());
    const firstPk =
      Number(
        (
          await db
            .selectFrom("jobs")
            .select((eb) => eb.fn.max("pk").as("pk"))
            .executeTakeFirst()
        )?.pk ?? 0,
      ) + 1;
    const span = 365 * DAY;
    // Skipped items older than the retention period would long have been purged, so they all belong to
    // jobs of the last REPORT_RETENTION_DAYS (as in a service that has run for a year).
    const keptFrom = nowMs - (o.retentionDays ?? 30) * DAY;
    const keptJobs = Math.max(1, Math.round((o.jobs * (nowMs - keptFrom)) / span));
    const itemsPerJob = o.skippedItems / keptJobs;
    let itemsMade = 0;
    const TX = 50_000;

    for (let i = 0; i < o.jobs; i += TX) {
      // One connection serves every query, so a plain BEGIN … COMMIT wraps the batch's statements.
      await sql`begin`.execute(db);
      const end = Math.min(o.jobs, i + TX);
      for (let n = i; n < end; n += 1) {
        const a = r.next() < share(0) || o.accounts === 1 ? 0 : 1 + Math.floor(r.next() * (o.accounts - 1));
        const connector = r.pick(connectors[a]!);
        // Jobs arrive in time order, so that pk order follows start order as it does in production.
        const startMs = nowMs - span + Math.floor(((n + r.next()) / o.jobs) * span);
        const type = jobType(r);
        const recent = nowMs - startMs < 10 * MINUTE;
        const status: JobStatus = recent ? (r.chance(0.5) ? "in_progress" : "scheduled") : finalStatus(r);
        const duration = r.int(1, 90) * MINUTE;
        const ended = status === "in_progress" || status === "scheduled" ? null : iso(startMs + duration);
        const startedAt = status === "scheduled" ? null : iso(startMs);
        const reason =
          status === "unsuccessful" || status === "incomplete"
            ? type === "backup" || r.chance(0.5)
              ? r.pick(ENGINE_REASON_CODES.filter((c) => c !== "service_interrupted"))
              : "items_skipped"
            : status === "cancelled" && r.chance(0.5)
              ? "service_interrupted"
              : null;
        const rare = n % 50_000 === 7 ? ` ${RARE_WORD}` : "";
        const description = `${type === "backup" ? "Backup" : type.includes("download") ? "Export" : "Restore"} of ${r.pick(TEAMS)} ${r.pick(AREAS)}${rare} (${r.int(1, 900)} users)`;
        // Three in ten backups and restores skip something (downloads never do); the last job takes
        // whatever is left, so the total comes out exact.
        const canSkip =
          startMs >= keptFrom && (type === "backup" || type === "restore" || type === "item_restore");
        const left = o.skippedItems - itemsMade;
        const skipped = !canSkip
          ? 0
          : n === o.jobs - 1
            ? Math.max(0, left)
            : Math.min(
                left,
                r.chance(0.3) ? Math.round((itemsPerJob / 0.3 / 0.98) * (0.2 + 1.6 * r.next())) : 0,
              );
        const added = type === "backup" ? r.int(0, 5000) : 0;
        const restored = type !== "backup" && !type.includes("download") ? r.int(1, 3000) : 0;
        const pk = firstPk + n;
        let skippedBytes = 0;
        const jobItems: unknown[][] = [];
        for (let k = 0; k < skipped; k += 1) {
          // A pool of keys per connector, so the same items recur across its backups.
          const kind = r.pick(ITEM_KINDS);
          const size = kind === "folder" ? null : r.int(100, 5_000_000);
          if (size) skippedBytes += size;
          jobItems.push([
            pk,
            `${connector.pk}-${r.int(1, 400)}-${k}`,
            `Item ${r.int(1, 999999)}.dat`,
            `/${r.pick(TEAMS)}/${r.pick(AREAS)}`,
            kind,
            size,
            r.pick(SKIP_REASONS),
          ]);
        }
        itemsMade += skipped;
        // The job first: its items refer to it.
        await jobs.add([
          connector.accountId,
          `job-${String(n + 1).padStart(8, "0")}`,
          connector.pk,
          type,
          status,
          reason,
          description,
          type === "restore" ? iso(startMs - 5 * MINUTE) : null,
          startedAt,
          ended,
          iso(startMs),
          sortKeyOf(iso(startMs), pk),
          added,
          added * 40_000,
          type === "backup" ? r.int(0, 100) : 0,
          0,
          restored,
          restored * 80_000,
          0,
          0,
          skipped,
          skippedBytes,
          0,
          type === "backup" && ended ? `snap-${pk}` : null,
          type === "backup" && ended ? (status === "incomplete" ? 1 : 0) : null,
          iso(startMs),
          ended ?? iso(startMs),
        ]);
        for (const item of jobItems) await items.add(item);
      }
      await jobs.flush();
      await items.flush();
      await sql`commit`.execute(db);
      say(
        `\r  jobs ${end.toLocaleString("en-US")} / ${o.jobs.toLocaleString("en-US")}, skipped items ${itemsMade.toLocaleString("en-US")}   `,
      );
    }
    say("\n  building indexes, counts and the search index…\n");
    return itemsMade;
  });
  await rebuildCounts(db);
  const titles = new Map(ENGINE_REASON_CODES.map((c) => [c as string, findReason(c)!.title]));
  titles.set("items_skipped", findReason("items_skipped")!.title);
  await rebuildSearchIndex(db, titles);
  // A server on this file may have remembered summaries between the two rebuilds: none may outlive them.
  await everyAccountsJobsChanged(db);
  await analyze(db);
  return { jobs: o.jobs, skippedItems: itemsMade, ms: Date.now() - started };
}
