import type { Connector } from "../../src/connectors/connectors.repository";
import { Layout } from "../layout";
import { ConnectorOptions, type ConnectorOptionsData } from "../partials/connector-options";
import { ConnectorChoice } from "../partials/job-filters";
import { href, type ViewContext } from "../view-context";

export type ConnectorPickerData = ConnectorOptionsData & {
  chosenConnectors: readonly Connector[];
  /** The list to go back to ("/jobs" or a connector's list) and the other filters it had. */
  returnPath: string;
  carried: readonly [string, string][];
  error: string | null;
};

/** Choosing connectors without JavaScript: find by name, tick, and go back to the same filtered list. */
export function ConnectorPickerPage({ ctx, data }: { ctx: ViewContext; data: ConnectorPickerData }) {
  const back = `${data.returnPath}?${new URLSearchParams([
    ...data.carried,
    ...data.chosen.map((id) => ["connector", id] as [string, string]),
  ]).toString()}`;
  const hidden = (pairs: readonly [string, string][]) =>
    pairs.map(([name, value]) => <input type="hidden" name={name} value={value} />);
  return (
    <Layout ctx={ctx} title="Choose connectors" section="jobs">
      <div class="page-head">
        <p class="eyebrow">
          <a href={href(ctx, back)}>Job Monitor</a> / Filter
        </p>
        <h1>Choose connectors</h1>
      </div>
      <form class="picker-find" method="get" action={href(ctx, "/connector-picker")}>
        {hidden(data.carried)}
        {hidden(data.chosen.map((id) => ["connector", id]))}
        <input type="hidden" name="return" value={data.returnPath} />
        <label for="find">Find a connector by name</label>
        <div class="inline-form">
          <input
            type="search"
            id="find"
            name="find"
            value={data.find}
            aria-describedby="find-error"
            aria-invalid={data.error ? "true" : undefined}
          />
          <button type="submit" class="button">
            Find
          </button>
        </div>
        <p id="find-error" class="field-error" safe>
          {data.error ?? ""}
        </p>
      </form>
      <form class="picker" method="get" action={href(ctx, data.returnPath)}>
        {hidden(data.carried)}
        <fieldset>
          <legend>Connectors</legend>
          {data.chosenConnectors.map((c) => (
            <ConnectorChoice connector={c} checked />
          ))}
          <ConnectorOptions data={data} />
        </fieldset>
        <div class="filter-actions">
          <button type="submit" class="button button-primary">
            Show their jobs
          </button>
          <a class="button button-quiet" href={href(ctx, back)}>
            Back
          </a>
        </div>
      </form>
    </Layout>
  );
}
