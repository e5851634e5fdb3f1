import { type SqlBool, sql } from "kysely";
import type { DbOrTx } from "../db/database";
import type { ItemKind, SkipReason } from "./vocabulary";

// Backups retry the items they skipped, so one skip means little; an item skipped by backup after backup
// needs attention. This finds those items per connector, instead of admins diffing CSV files by hand.

/**
 * Backups that reached the items are the ones that can skip them: Successful and Incomplete ones, and
 * those Unsuccessful only because every changed item was skipped (they ran to their end).
 */
const REACHED_ITEMS = sql<SqlBool>`(status in ('successful', 'incomplete') or (status = 'unsuccessful' and reason = 'all_items_skipped'))`;

export type SkippedAgainItem = {
  key: string;
  name: string;
  path: string | null;
  kind: ItemKind;
  lastReason: SkipReason;
  /** How many backups in a row skipped it, up to its latest skip. */
  streak: number;
  firstSeen: string;
  lastSeen: string;
  /** Whether the connector's latest backup skipped it too. */
  ongoing: boolean;
};

export type SkippedAgainOrder = "streak" | "recent";

/**
 * Items skipped by two or more consecutive backups of a connector (in their latest run), from the backups
 * whose skipped-items reports are still kept.
 */
export async function findSkippedAgain(
  db: DbOrTx,
  connector: { accountId: number; pk: number },
  options: { order: SkippedAgainOrder; limit: number | null },
): Promise<SkippedAgainItem[]> {
  const order =
    options.order === "recent"
      ? sql`l.last_seen desc, l.streak desc, l.key`
      : sql`l.streak desc, l.last_seen desc, l.key`;
  const limit = options.limit === null ? sql`` : sql`limit ${options.limit}`;
  const result = await sql<{
    key: string;
    name: string;
    path: string | null;
    kind: string;
    reason: string;
    streak: number;
    first_seen: string;
    last_seen: string;
    ongoing: number;
  }>`
    with backups as (
      select pk, sort_at, row_number() over (order by sort_key) as n
      from jobs
      where account_id = ${connector.accountId} and connector_pk = ${connector.pk} and type = 'backup' and ${REACHED_ITEMS}
        and skipped_purged_at is null
    ),
    skips as (
      select s.key, s.name, s.path, s.kind, s.reason, b.n, b.sort_at,
             b.n - row_number() over (partition by s.key order by b.n) as island
      from skipped_items s join backups b on b.pk = s.job_pk
    ),
    runs as (
      select key, island, count(*) as streak, min(sort_at) as first_seen, max(sort_at) as last_seen, max(n) as last_n
      from skips group by key, island
    ),
    latest as (
      select r.* from runs r
      where r.last_n = (select max(r2.last_n) from runs r2 where r2.key = r.key) and r.streak >= 2
    )
    select l.key, s.name, s.path, s.kind, s.reason, l.streak, l.first_seen, l.last_seen,
           case when l.last_n = (select max(n) from backups) then 1 else 0 end as ongoing
    from latest l join skips s on s.key = l.key and s.n = l.last_n
    order by ${order}
    ${limit}
  `.execute(db);
  return result.rows.map((r) => ({
    key: r.key,
    name: r.name,
    path: r.path,
    kind: r.kind as ItemKind,
    lastReason: r.reason as SkipReason,
    streak: Number(r.streak),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    ongoing: Number(r.ongoing) === 1,
  }));
}

/** The backup of the same connector that ran just before this one, if its report is still kept. */
export async function previousBackup(
  db: DbOrTx,
  job: { pk: number; accountId: number; connectorPk: number; sortKey: number },
): Promise<{ pk: number; id: string } | undefined> {
  return db
    .selectFrom("jobs")
    .select(["pk", "id"])
    .where("account_id", "=", job.accountId)
    .where("connector_pk", "=", job.connectorPk)
    .where("type", "=", "backup")
    .where(REACHED_ITEMS)
    .where("skipped_purged_at", "is", null)
    .where("sort_key", "<", job.sortKey)
    .orderBy("sort_key", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** How many of a job's skipped items the other job skipped too. */
export async function countSkippedInBoth(db: DbOrTx, jobPk: number, otherPk: number): Promise<number> {
  const row = await db
    .selectFrom("skipped_items as a")
    .innerJoin("skipped_items as b", (join) => join.onRef("b.key", "=", "a.key").on("b.job_pk", "=", otherPk))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("a.job_pk", "=", jobPk)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
