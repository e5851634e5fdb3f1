import type { JobsPageData } from "../../views/pages/jobs-page";
import type { Connector } from "../connectors/connectors.repository";
import type { DbOrTx } from "../db/database";
import { dayInZone } from "../format";
import { loadJobChart } from "./job-chart";
import { countJobs, countJobsSince, listJobs, toJobFilter } from "./job-list";
import type { ParseContext } from "./job-query";
import { parseJobQuery } from "./job-query";
import { jobsVersion } from "./jobs-version";
import { rememberedSummary } from "./summary-cache";

/**
 * The highest job pk of all accounts: jobs created later have higher ones, which is how the page spots
 * new jobs (of its own account, filtered later). The rowid's maximum costs one b-tree descent.
 */
export async function newestJobPk(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.max("pk").as("pk"))
    .executeTakeFirst();
  return Number(row?.pk ?? 0);
}

/** Everything the Job Monitor page shows for these query parameters. */
export async function loadJobMonitor(
  db: DbOrTx,
  accountId: number,
  params: Record<string, string[]>,
  ctx: Omit<ParseContext, "strict">,
): Promise<JobsPageData> {
  const { raw, query, errors } = parseJobQuery(params, { ...ctx, strict: false });
  const { filter, connectors, unknownConnector } = await toJobFilter(db, accountId, query);
  const chosenConnectors = [...connectors].sort((a, b) => a.name.localeCompare(b.name));
  const base = {
    raw,
    errors,
    chosenConnectors,
    connector: null as Connector | null,
    path: "/jobs",
    results: null,
  };
  if (unknownConnector) errors.connector ??= `There is no connector “${unknownConnector.slice(0, 60)}”.`;
  if (Object.keys(errors).length) return { ...base, errors };

  const connector =
    query.connectorIds.length === 1 ? (connectors.find((c) => c.id === query.connectorIds[0]) ?? null) : null;
  const version = await jobsVersion(db, accountId);
  const page = await listJobs(db, filter, query);
  const newestPk = await newestJobPk(db);
  const summarize = async () => {
    const counts = await countJobs(db, { ...filter, statuses: [] });
    // A search with more matches than are counted has no chart either (it would read them all again).
    const chart = filter.search && counts.capped ? null : await loadJobChart(db, filter, ctx);
    return { counts, chart };
  };
  // A span such as "Last 24 hours" starts at a different millisecond on every request, so its summary
  // would never be asked for again: remembering it would only push out summaries that are.
  const { counts, chart } =
    query.span && query.span !== "custom"
      ? await summarize()
      : await rememberedSummary(
          db,
          // The chart's days end today in the user's zone, so the day is part of what it depends on.
          JSON.stringify([filter, ctx.timeZone, dayInZone(ctx.now, ctx.timeZone)]),
          version,
          summarize,
        );
  return {
    ...base,
    connector,
    results: {
      query,
      path: "/jobs",
      page,
      counts,
      newestPk,
      accountHasJobs: counts.total > 0 || (await accountHasJobs(db, accountId)),
      chart,
      connectors: chosenConnectors,
    },
  };
}

/** How many jobs matching the query arrived after `since` (for the "N new jobs" notice). */
export async function countNewJobs(
  db: DbOrTx,
  accountId: number,
  params: Record<string, string[]>,
  since: number,
  ctx: Omit<ParseContext, "strict">,
) {
  const { query, errors } = parseJobQuery(params, { ...ctx, strict: false });
  const { filter, unknownConnector } = await toJobFilter(db, accountId, query);
  const count = Object.keys(errors).length || unknownConnector ? 0 : await countJobsSince(db, filter, since);
  return { query, count };
}

async function accountHasJobs(db: DbOrTx, accountId: number): Promise<boolean> {
  return (
    (await db
      .selectFrom("jobs")
      .select("pk")
      .where("account_id", "=", accountId)
      .limit(1)
      .executeTakeFirst()) !== undefined
  );
}
