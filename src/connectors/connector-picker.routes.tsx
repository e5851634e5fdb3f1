import { Hono } from "hono";
import { ConnectorPickerPage } from "../../views/pages/connector-picker-page";
import { ConnectorOptions } from "../../views/partials/connector-options";
import type { AppDeps } from "../context";
import { QUERY_FIELDS } from "../jobs/job-query";
import { html, isHtmx, type PageEnv, viewContext } from "../web/pages";
import { findConnectors, searchConnectors } from "./connectors.repository";

/** How many connectors a panel or the picker lists at once; typing narrows the rest. */
const SHOWN = 50;
const MAX_FIND = 100;
/** The filters the picker carries back to the list untouched (it chooses the connectors; a page starts over). */
const CARRIED = QUERY_FIELDS.filter((f) => f !== "connector" && f !== "cursor");
/** As many as the list's own address accepts (src/jobs/job-query.ts). */
const MAX_CHOSEN = 100;

/**
 * The connector filter's choices. With htmx, the list inside the filter's panel (fetched when it opens
 * and as the user types); without, a page of its own that returns to the same filtered list.
 */
export function connectorPickerRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db } = deps;
  const routes = new Hono<PageEnv>();

  routes.get("/connector-picker", async (c) => {
    const accountId = c.get("session")!.account.id;
    const find = (c.req.query("find") ?? "").trim();
    const chosen = [...new Set(c.req.queries("connector") ?? [])];
    const error =
      find.length > MAX_FIND
        ? `Find: at most ${MAX_FIND} characters (this is ${find.length}).`
        : chosen.length > MAX_CHOSEN
          ? `Connector: at most ${MAX_CHOSEN} can be chosen (this is ${chosen.length}).`
          : null;
    const { connectors, total } = error
      ? { connectors: [], total: 0 }
      : await searchConnectors(db, accountId, { find, exclude: chosen, limit: SHOWN });
    const options = { find: error ? "" : find, connectors, total, chosen };
    if (isHtmx(c)) {
      return error ? c.text(error, 400) : html(c, <ConnectorOptions data={options} />);
    }
    const given = c.req.query("return") ?? "/jobs";
    const returnPath = /^\/connectors\/[^/?#\\]{1,128}\/jobs$/.test(given) ? given : "/jobs";
    const carried: [string, string][] = [];
    for (const name of CARRIED)
      for (const value of c.req.queries(name) ?? []) if (value) carried.push([name, value]);
    const chosenConnectors = (error ? [] : await findConnectors(db, accountId, chosen)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const ctx = viewContext(c, deps, assets);
    return html(
      c,
      <ConnectorPickerPage ctx={ctx} data={{ ...options, chosenConnectors, returnPath, carried, error }} />,
      error ? 400 : 200,
    );
  });

  return routes;
}
