import type { Connector } from "../../src/connectors/connectors.repository";
import { formatCount } from "../../src/format";
import type { SkippedAgainItem, SkippedAgainOrder } from "../../src/jobs/skipped-again";
import { ITEM_KIND_LABELS, SKIP_REASON_LABELS } from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { ItemName } from "../components/item-name";
import { Time } from "../components/time";
import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";

export type SkippedAgainData = {
  connector: Connector;
  items: SkippedAgainItem[];
  order: SkippedAgainOrder;
  /** Whether the list was cut at the display limit (the CSV has every item). */
  truncated: boolean;
  retentionDays: number;
};

export function SkippedAgainPage({ ctx, data }: { ctx: ViewContext; data: SkippedAgainData }) {
  const base = `/connectors/${encodeURIComponent(data.connector.id)}`;
  const sortLink = (order: SkippedAgainOrder, label: string) => (
    <a
      href={href(ctx, `${base}/skipped?order=${order}`)}
      aria-current={data.order === order ? "true" : undefined}
      class="chip"
      safe
    >
      {label}
    </a>
  );
  return (
    <Layout
      ctx={ctx}
      title={`Skipped again · ${data.connector.name}`}
      section="jobs"
      skipTo={{ id: "skipped-again", label: "Skip to the items" }}
    >
      <div class="page-head">
        <p class="eyebrow">
          <a href={href(ctx, "/jobs")}>Job Monitor</a> /{" "}
          <a href={href(ctx, `${base}/jobs`)} safe>
            {data.connector.name}
          </a>
        </p>
        <h1>Items skipped again and again</h1>
        <p class="lede" safe>
          {`Items that two or more backups of ${data.connector.name} skipped in a row. Backups try skipped items again, so one skip is usually nothing; an item that keeps being skipped is worth a look. Based on the backups of the last ${data.retentionDays} days.`}
        </p>
      </div>
      <div class="toolbar">
        <p class="range" safe>
          {`${formatCount(data.items.length)}${data.truncated ? "+" : ""} ${data.items.length === 1 ? "item" : "items"}`}
        </p>
        <nav class="reason-filter" aria-label="Sort">
          {sortLink("streak", "Longest streak first")}
          {sortLink("recent", "Most recent first")}
        </nav>
        <a class="button" href={href(ctx, `${base}/skipped.csv?order=${data.order}`)} download="">
          <Icon name="download" /> Download CSV
        </a>
      </div>
      <section id="skipped-again" tabindex="-1" aria-label="Items skipped in consecutive backups">
        {data.items.length === 0 ? (
          <div class="empty-state">
            <p class="empty-title">Nothing keeps being skipped</p>
            <p>
              No item was skipped by two backups of this connector in a row. Items skipped once are in each
              job's report.
            </p>
          </div>
        ) : (
          <div class="table-wrap cards-on-phones">
            <table class="skipped-again">
              <caption class="visually-hidden">Items skipped in consecutive backups</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Kind</th>
                  <th scope="col" class="num">
                    Backups in a row
                  </th>
                  <th scope="col">First skipped</th>
                  <th scope="col">Last skipped</th>
                  <th scope="col">Last reason</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr>
                    <td data-label="Item">
                      <ItemName name={item.name} path={item.path} />
                    </td>
                    <td safe data-label="Kind">
                      {ITEM_KIND_LABELS[item.kind]}
                    </td>
                    <td class="num" data-label="Backups in a row">
                      <strong safe>{formatCount(item.streak)}</strong>
                      {item.ongoing ? <span class="sub">still skipped</span> : ""}
                    </td>
                    <td class="nowrap" data-label="First skipped">
                      <Time ctx={ctx} iso={item.firstSeen} />
                    </td>
                    <td class="nowrap" data-label="Last skipped">
                      <Time ctx={ctx} iso={item.lastSeen} />
                    </td>
                    <td safe data-label="Last reason">
                      {SKIP_REASON_LABELS[item.lastReason]}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
