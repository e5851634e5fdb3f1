import { AUDIT_EVENT_LABELS, AUDIT_EVENTS, type AuditEvent } from "../../src/audit/audit.repository";
import type { AuditEventRow } from "../../src/db/database";
import { Icon } from "../components/icons";
import { Time } from "../components/time";
import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";

export type AuditPageData = {
  events: readonly AuditEvent[];
  rawEvents: readonly string[];
  entries: AuditEventRow[];
  nextBeforeId: number | null;
  error: string | null;
};

function query(events: readonly string[], before?: number): string {
  const p = new URLSearchParams();
  for (const e of events) p.append("event", e);
  if (before) p.set("before", String(before));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function AuditPage({ ctx, data }: { ctx: ViewContext; data: AuditPageData }) {
  return (
    <Layout
      ctx={ctx}
      title="Audit log"
      section="audit"
      skipTo={{ id: "audit-results", label: "Skip to the log" }}
    >
      <div class="page-head">
        <h1>Audit log</h1>
        <p class="lede">Sign-ins, cancel requests and refused requests in your account, newest first.</p>
      </div>
      <form method="get" action={href(ctx, "/audit")} class="filters">
        <div class="field">
          <label for="event">Event</label>
          <select
            id="event"
            name="event"
            multiple="multiple"
            size="5"
            aria-describedby="error-event"
            aria-invalid={data.error ? "true" : undefined}
          >
            {AUDIT_EVENTS.map((e) => (
              <option value={e} selected={data.rawEvents.includes(e)} safe>
                {AUDIT_EVENT_LABELS[e]}
              </option>
            ))}
          </select>
          <p id="error-event" class="field-error" safe>
            {data.error ?? ""}
          </p>
        </div>
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Apply filters
          </button>
          <a class="button button-quiet" href={href(ctx, "/audit")}>
            Clear filters
          </a>
          <a class="button" href={href(ctx, `/audit.csv${query(data.events)}`)} download="">
            <Icon name="download" /> Download CSV
          </a>
        </div>
      </form>
      <section id="audit-results" tabindex="-1" aria-label="Audit entries">
        {data.entries.length === 0 ? (
          <div class="empty-state">
            <p class="empty-title">No audit entries</p>
            <p>
              {data.events.length
                ? "Nothing of these kinds has happened yet. Choose other events."
                : "Nothing has been recorded yet."}
            </p>
          </div>
        ) : (
          <div class="table-wrap cards-on-phones">
            <table class="audit">
              <caption class="visually-hidden">Audit log, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">User</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr>
                    <td class="nowrap" data-label="Time">
                      <Time ctx={ctx} iso={e.at} />
                    </td>
                    <td safe data-label="Event">
                      {AUDIT_EVENT_LABELS[e.event as AuditEvent] ?? e.event}
                    </td>
                    <td safe data-label="User">
                      {e.email ?? "—"}
                    </td>
                    <td class="mono" safe data-label="IP address">
                      {e.ip ?? "—"}
                    </td>
                    <td safe data-label="Details">
                      {e.detail ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.nextBeforeId ? (
          <nav class="pager" aria-label="Pages">
            <a class="button" href={href(ctx, `/audit${query(data.events, data.nextBeforeId)}`)}>
              Older entries →
            </a>
          </nav>
        ) : (
          ""
        )}
      </section>
    </Layout>
  );
}
