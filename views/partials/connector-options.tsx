import Html from "@kitajs/html";
import type { Connector } from "../../src/connectors/connectors.repository";
import { formatCount } from "../../src/format";
import { ConnectorChoice } from "./job-filters";

export type ConnectorOptionsData = {
  find: string;
  /** Connectors to offer (the chosen ones are shown apart, so they are not among these). */
  connectors: readonly Connector[];
  /** How many connectors match `find`, beyond the ones shown. */
  total: number;
  chosen: readonly string[];
};

/** The connectors the filter's panel offers for what was typed: a list to tick, and how much more there is. */
export function ConnectorOptions({ data }: { data: ConnectorOptionsData }) {
  const { connectors, total, find } = data;
  return (
    <>
      {connectors.map((c) => (
        <ConnectorChoice connector={c} checked={data.chosen.includes(c.id)} />
      ))}
      {total === 0 ? (
        <p class="muted small">
          {find ? Html.escapeHtml(`No connector’s name contains “${find}”.`) : "No other connectors."}
        </p>
      ) : total > connectors.length ? (
        <p class="muted small" safe>
          {`${formatCount(connectors.length)} of ${formatCount(total)} shown. Type to narrow the list.`}
        </p>
      ) : (
        ""
      )}
    </>
  );
}
