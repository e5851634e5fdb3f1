import type { JobsPageData } from "../../views/pages/jobs-page";
import { type Connector, listConnectors } from "../connectors/connectors.repository";
import type { DbOrTx } from "../db/database";
import { loadJobChart } from "./job-chart";
import { countJobs, countJobsSince, listJobs, toJobFilter } from "./job-list";
import type { ParseContext } from "./job-query";
import { parseJobQuery } from "./job-query";

/** The highest job pk: jobs created later have higher ones, which is how the page spots new jobs. */
export async function newestJobPk(db: DbOrTx, accountId: number): Promise<number> {
  const row = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.max("pk").as("pk"))
    .where("account_id", "=", accountId)
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
  const connectors = await listConnectors(db, accountId);
  const base = { raw, errors, connectors, connector: null as Connector | null, path: "/jobs", results: null };
  const { filter, unknownConnector } = await toJobFilter(db, accountId, query);
  if (unknownConnector) errors.connector ??= `There is no connector “${unknownConnector.slice(0, 60)}”.`;
  if (Object.keys(errors).length) return { ...base, errors };

  const connector =
    query.connectorIds.length === 1 ? (connectors.find((c) => c.id === query.connectorIds[0]) ?? null) : null;
  const page = await listJobs(db, filter, query);
  const counts = await countJobs(db, { ...filter, statuses: [] });
  const newestPk = await newestJobPk(db, accountId);
  const chart = await loadJobChart(db, filter, ctx);
  return {
    ...base,
    connector,
    results: { query, path: "/jobs", page, counts, newestPk, accountHasJobs: newestPk > 0, chart },
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
