import { Hono } from "hono";
import { MessagePage } from "../../views/pages/message-page";
import { SkippedAgainPage } from "../../views/pages/skipped-again-page";
import { findConnector } from "../connectors/connectors.repository";
import type { AppDeps } from "../context";
import { attachment, csvStream } from "../csv";
import { missingPage } from "../web/error-pages";
import { html, type PageEnv, viewContext } from "../web/pages";
import { findSkippedAgain, type SkippedAgainOrder } from "./skipped-again";

const SHOWN = 500;
const COLUMNS = [
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
];

/** Per connector: the items skipped by consecutive backups, as a page and as CSV. */
export function skippedAgainRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, config } = deps;
  const routes = new Hono<PageEnv>();

  function order(value: string | undefined): SkippedAgainOrder | null {
    if (!value || value === "streak") return "streak";
    return value === "recent" ? "recent" : null;
  }

  routes.get("/connectors/:connectorId/skipped", async (c) => {
    const session = c.get("session")!;
    const ctx = viewContext(c, deps, assets);
    const connector = await findConnector(db, session.account.id, c.req.param("connectorId"));
    if (!connector) {
      return missingPage(c, ctx, "connector");
    }
    const sort = order(c.req.query("order"));
    if (!sort) {
      return html(
        c,
        <MessagePage ctx={ctx} title="This address is not valid" message="Sort by “streak” or “recent”." />,
        400,
      );
    }
    const items = await findSkippedAgain(
      db,
      { accountId: session.account.id, pk: connector.pk },
      { order: sort, limit: SHOWN + 1 },
    );
    return html(
      c,
      <SkippedAgainPage
        ctx={ctx}
        data={{
          connector,
          items: items.slice(0, SHOWN),
          order: sort,
          truncated: items.length > SHOWN,
          retentionDays: config.reportRetentionDays,
        }}
      />,
    );
  });

  routes.get("/connectors/:connectorId/skipped.csv", async (c) => {
    const session = c.get("session")!;
    const connector = await findConnector(db, session.account.id, c.req.param("connectorId"));
    const ctx = viewContext(c, deps, assets);
    if (!connector) {
      return missingPage(c, ctx, "connector");
    }
    const sort = order(c.req.query("order"));
    if (!sort)
      return html(
        c,
        <MessagePage ctx={ctx} title="This address is not valid" message="Sort by “streak” or “recent”." />,
        400,
      );
    const items = await findSkippedAgain(
      db,
      { accountId: session.account.id, pk: connector.pk },
      { order: sort, limit: null },
    );
    async function* once() {
      if (items.length) yield items;
    }
    const stream = csvStream(COLUMNS, once(), (i) => [
      connector.name,
      i.key,
      i.name,
      i.path ?? "",
      i.kind,
      i.streak,
      i.firstSeen,
      i.lastSeen,
      i.ongoing ? "yes" : "no",
      i.lastReason,
    ]);
    return new Response(stream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": attachment(
          `skipped-again_${connector.name}_${deps.clock.now().toISOString().slice(0, 10)}.csv`,
        ),
        "Cache-Control": "no-store",
      },
    });
  });

  return routes;
}
