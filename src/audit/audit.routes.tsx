import { Hono } from "hono";
import { AuditPage } from "../../views/pages/audit-page";
import type { AppDeps } from "../context";
import { attachment, csvStream } from "../csv";
import { html, type PageEnv, viewContext } from "../web/pages";
import { AUDIT_EVENT_LABELS, AUDIT_EVENTS, type AuditEvent, listAudit } from "./audit.repository";

const PAGE = 100;
const AUDIT_CSV_COLUMNS = ["Time (UTC)", "Event", "Event code", "User", "IP address", "Details"];

function parse(events: string[], before: string | undefined) {
  const unknown = events.find((e) => !AUDIT_EVENTS.includes(e as AuditEvent));
  const beforeId = before ? Number(before) : null;
  const error = unknown
    ? `Unknown event “${unknown.slice(0, 40)}”. Choose from the list.`
    : beforeId !== null && (!Number.isSafeInteger(beforeId) || beforeId < 1)
      ? "This page link is not valid."
      : null;
  return { events: unknown ? [] : (events as AuditEvent[]), beforeId: error ? null : beforeId, error };
}

/** The account's audit log, as a page and as CSV. */
export function auditRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const routes = new Hono<PageEnv>();

  routes.get("/audit", async (c) => {
    const session = c.get("session")!;
    const rawEvents = c.req.queries("event") ?? [];
    const { events, beforeId, error } = parse(rawEvents, c.req.query("before"));
    const page = error
      ? { entries: [], nextBeforeId: null }
      : await listAudit(deps.db, session.account.id, { events, beforeId, limit: PAGE });
    return html(
      c,
      <AuditPage ctx={viewContext(c, deps, assets)} data={{ events, rawEvents, ...page, error }} />,
      error ? 400 : 200,
    );
  });

  routes.get("/audit.csv", async (c) => {
    const session = c.get("session")!;
    const { events, error } = parse(c.req.queries("event") ?? [], undefined);
    if (error) return c.text(error, 400);
    const db = deps.db;
    const accountId = session.account.id;
    async function* pages() {
      let beforeId: number | null = null;
      do {
        const page = await listAudit(db, accountId, { events, beforeId, limit: 1000 });
        if (page.entries.length) yield page.entries;
        beforeId = page.nextBeforeId;
      } while (beforeId);
    }
    const stream = csvStream(AUDIT_CSV_COLUMNS, pages(), (e) => [
      e.at,
      AUDIT_EVENT_LABELS[e.event as AuditEvent] ?? e.event,
      e.event,
      e.email ?? "",
      e.ip ?? "",
      e.detail ?? "",
    ]);
    return new Response(stream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": attachment(
          `audit-log_${session.account.serviceId}_${deps.clock.now().toISOString().slice(0, 10)}.csv`,
        ),
        "Cache-Control": "no-store",
      },
    });
  });

  return routes;
}
