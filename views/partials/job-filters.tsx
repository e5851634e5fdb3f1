import Html, { type Children } from "@kitajs/html";
import type { Connector } from "../../src/connectors/connectors.repository";
import {
  DEFAULT_ORDER,
  DEFAULT_PAGE_SIZE,
  type FieldErrors,
  ORDERS,
  PAGE_SIZES,
  QUERY_FIELDS,
  type QueryField,
  type RawJobQuery,
  SPAN_LABELS,
  SPANS,
  timeSpanLabel,
} from "../../src/jobs/job-query";
import { JOB_STATUS_LABELS, JOB_STATUSES, JOB_TYPE_LABELS, JOB_TYPES } from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { href, type ViewContext } from "../view-context";

/**
 * The message under a field. It is always in the page (empty when all is well) so that a filter request
 * made with htmx can replace it out of band while the form itself, and the caret in it, stay put.
 */
export function FieldError({
  field,
  errors,
  oob = false,
}: {
  field: QueryField;
  errors: FieldErrors;
  oob?: boolean;
}) {
  const message = errors[field];
  return (
    <p
      id={`error-${field}`}
      class="field-error"
      data-invalid={message ? "true" : undefined}
      hx-swap-oob={oob ? "true" : undefined}
    >
      {message ? (
        <>
          <Icon name="warning" />
          <span safe>{message}</span>
        </>
      ) : (
        ""
      )}
    </p>
  );
}

/** Every field's message, for an htmx answer that swaps only the results. */
export function FieldErrorsOob({ errors }: { errors: FieldErrors }) {
  return (
    <>
      {QUERY_FIELDS.map((field) => (
        <FieldError field={field} errors={errors} oob />
      ))}
    </>
  );
}

const invalid = (errors: FieldErrors, field: QueryField) => (errors[field] ? "true" : undefined);

/** A connector as a box to tick: in the filter's panel, in the list fetched for it, and on the picker page. */
export function ConnectorChoice({
  connector,
  checked,
  byDefault = false,
}: {
  connector: Connector;
  checked: boolean;
  /** Chosen when the address names no connector (a connector's own page): see app.js syncFilters. */
  byDefault?: boolean;
}) {
  return (
    <label class="choice">
      <input
        type="checkbox"
        name="connector"
        value={connector.id}
        checked={checked}
        data-default={byDefault}
      />
      {Html.escapeHtml(connector.name)}
    </label>
  );
}

/**
 * One filter of the bar: a native disclosure, so without JavaScript it opens and the form submits as
 * usual; app.js adds closing on Escape or a click outside, one panel open at a time.
 */
function FilterMenu({
  id,
  label,
  active,
  invalid: wrong,
  wide = false,
  children,
}: {
  id: string;
  label: string;
  /** What the filter is set to, for the button ("2", "Last 7 days"); empty when it is not in use. */
  active: string;
  invalid: boolean;
  wide?: boolean;
  children: Children;
}) {
  return (
    <details
      class={`filter-menu${wide ? " wide" : ""}`}
      id={`menu-${id}`}
      data-invalid={wrong ? "true" : undefined}
    >
      <summary class="button menu-button">
        <span safe>{label}</span>
        {active ? (
          <span class="menu-value" safe>
            {active}
          </span>
        ) : (
          ""
        )}
        {wrong ? <Icon name="warning" /> : ""}
      </summary>
      <div class="menu-panel">{children}</div>
    </details>
  );
}

/** A fixed set of values as boxes to tick. Values from the address that are not choices stay ticked, marked unknown. */
function ChoiceSet<T extends string>({
  field,
  legend,
  choices,
  labels,
  chosen,
  errors,
}: {
  field: QueryField;
  legend: string;
  choices: readonly T[];
  labels: Record<T, string>;
  chosen: readonly string[];
  errors: FieldErrors;
}) {
  const unknown = chosen.filter((value) => !choices.includes(value as T));
  return (
    <fieldset id={field} aria-describedby={`error-${field}`} aria-invalid={invalid(errors, field)}>
      <legend safe>{legend}</legend>
      {unknown.map((value) => (
        <label class="choice">
          <input type="checkbox" name={field} value={value} checked />
          {Html.escapeHtml(`Unknown: ${value}`)}
        </label>
      ))}
      {choices.map((value) => (
        <label class="choice">
          <input type="checkbox" name={field} value={value} checked={chosen.includes(value)} />
          {Html.escapeHtml(labels[value])}
        </label>
      ))}
    </fieldset>
  );
}

/** A day of the custom time span; what the user typed stays in it, right or wrong. */
function DateField({
  field,
  label,
  value,
  errors,
}: {
  field: "from" | "to";
  label: string;
  value: string;
  errors: FieldErrors;
}) {
  return (
    <div class="field">
      <label for={field} safe>
        {label}
      </label>
      <input
        type="date"
        id={field}
        name={field}
        value={value}
        aria-describedby={`error-${field}`}
        aria-invalid={invalid(errors, field)}
      />
    </div>
  );
}

export type JobFiltersProps = {
  ctx: ViewContext;
  raw: RawJobQuery;
  errors: FieldErrors;
  /** The chosen connectors (the full list is fetched when the connector panel opens). */
  chosenConnectors: readonly Connector[];
  /** The page the form submits to. */
  path: string;
  /** The connector that the page's address means when its query names none (a connector's own page). */
  defaultConnector?: string | null;
};

/**
 * The filter bar: one plain GET form. htmx swaps the results in place; without JavaScript it reloads.
 * Each filter is a small panel behind a button, so the jobs themselves fill the screen. app.js keeps the
 * controls in step with the address (after Back, Forward or a link) by their names and `data-default`:
 * the value a select takes when the address leaves its name out, or, on a checkbox, that it is chosen then.
 */
export function JobFilters({
  ctx,
  raw,
  errors,
  chosenConnectors,
  path,
  defaultConnector = null,
}: JobFiltersProps) {
  const action = href(ctx, path);
  const known = new Set(chosenConnectors.map((c) => c.id));
  const unknownConnectors = raw.connector.filter((id) => !known.has(id));
  const swap = {
    "hx-get": action,
    "hx-target": "#results",
    "hx-swap": "outerHTML show:none",
    "hx-push-url": "true",
  };
  const pickerQuery = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : [value])
      if (v && name !== "cursor") pickerQuery.append(name, v);
  }
  pickerQuery.set("return", path);
  const picker = `/connector-picker?${pickerQuery.toString()}`;
  const count = (values: readonly string[]) => (values.length ? String(values.length) : "");
  return (
    <form id="filters" class="filter-bar" method="get" action={action} aria-label="Filter jobs" {...swap}>
      <div class="search-box">
        <Icon name="search" />
        <label for="q" class="visually-hidden">
          Search
        </label>
        <input
          type="search"
          id="q"
          name="q"
          value={raw.q}
          placeholder="Search description, connector, job ID or reason"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="error-q hint-q"
          aria-invalid={invalid(errors, "q")}
          hx-get={action}
          hx-trigger="input delay:350ms, search"
          hx-include="#filters"
          hx-sync="#filters:queue last"
        />
        <kbd id="hint-q" class="hint" title="Press / to search">
          /
        </kbd>
      </div>

      <FilterMenu
        id="connector"
        label="Connector"
        active={count(raw.connector)}
        invalid={Boolean(errors.connector)}
        wide
      >
        <fieldset
          id="connector"
          aria-describedby="error-connector"
          aria-invalid={invalid(errors, "connector")}
        >
          <legend>Connector</legend>
          <div class="connector-chosen">
            {unknownConnectors.map((id) => (
              <label class="choice">
                <input type="checkbox" name="connector" value={id} checked />
                {Html.escapeHtml(`Unknown: ${id}`)}
              </label>
            ))}
            {chosenConnectors.map((c) => (
              <ConnectorChoice connector={c} checked byDefault={c.id === defaultConnector} />
            ))}
          </div>
          <div class="connector-find" hidden>
            <label for="connector-find" class="visually-hidden">
              Find a connector
            </label>
            <input
              type="search"
              id="connector-find"
              name="find"
              disabled
              placeholder="Find a connector"
              autocomplete="off"
              hx-get={href(ctx, "/connector-picker")}
              hx-trigger="input changed delay:250ms, search, jm-load"
              hx-target="#connector-options"
              hx-swap="innerHTML"
              hx-push-url="false"
              hx-include="closest fieldset"
              hx-params="find,connector"
              hx-sync="this:queue last"
            />
          </div>
          <div id="connector-options" class="connector-options" aria-live="polite" />
          <a class="picker-link" href={href(ctx, picker)}>
            Choose from all connectors…
          </a>
        </fieldset>
      </FilterMenu>

      <FilterMenu id="status" label="Status" active={count(raw.status)} invalid={Boolean(errors.status)}>
        <ChoiceSet
          field="status"
          legend="Status"
          choices={JOB_STATUSES}
          labels={JOB_STATUS_LABELS}
          chosen={raw.status}
          errors={errors}
        />
      </FilterMenu>
      <FilterMenu id="type" label="Type" active={count(raw.type)} invalid={Boolean(errors.type)}>
        <ChoiceSet
          field="type"
          legend="Type"
          choices={JOB_TYPES}
          labels={JOB_TYPE_LABELS}
          chosen={raw.type}
          errors={errors}
        />
      </FilterMenu>

      <FilterMenu
        id="time"
        label="Time"
        active={timeSpanLabel(raw.span, raw.from, raw.to)}
        invalid={Boolean(errors.span || errors.from || errors.to)}
      >
        <fieldset id="span" aria-describedby="error-span" aria-invalid={invalid(errors, "span")}>
          <legend>Time span</legend>
          <label class="choice">
            <input type="radio" name="span" value="" checked={raw.span === ""} data-default />
            Any time
          </label>
          {raw.span && !SPANS.includes(raw.span as never) ? (
            <label class="choice">
              <input type="radio" name="span" value={raw.span} checked />
              {Html.escapeHtml(`Unknown: ${raw.span}`)}
            </label>
          ) : (
            ""
          )}
          {SPANS.map((s) => (
            <label class="choice">
              <input type="radio" name="span" value={s} checked={raw.span === s} />
              {Html.escapeHtml(SPAN_LABELS[s])}
            </label>
          ))}
          <div class="date-fields">
            <DateField field="from" label="Start date" value={raw.from} errors={errors} />
            <DateField field="to" label="End date" value={raw.to} errors={errors} />
          </div>
        </fieldset>
      </FilterMenu>

      <FilterMenu
        id="view"
        label="View"
        active={[
          raw.size && raw.size !== "50" ? `${raw.size} rows` : "",
          raw.order === "oldest" ? "Oldest first" : "",
        ]
          .filter(Boolean)
          .join(", ")}
        invalid={Boolean(errors.size || errors.order)}
      >
        <fieldset>
          <legend>View</legend>
          <div class="field">
            <label for="size">Rows a page</label>
            <select
              id="size"
              name="size"
              data-default={String(DEFAULT_PAGE_SIZE)}
              aria-describedby="error-size"
              aria-invalid={invalid(errors, "size")}
            >
              {raw.size && !PAGE_SIZES.map(String).includes(raw.size) ? (
                <option value={raw.size} selected safe>
                  {raw.size}
                </option>
              ) : (
                ""
              )}
              {PAGE_SIZES.map((n) => (
                <option value={String(n)} selected={(raw.size || String(DEFAULT_PAGE_SIZE)) === String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="order">Order</label>
            <select
              id="order"
              name="order"
              data-default={DEFAULT_ORDER}
              aria-describedby="error-order"
              aria-invalid={invalid(errors, "order")}
            >
              {ORDERS.map((o) => (
                <option value={o} selected={(raw.order || DEFAULT_ORDER) === o}>
                  {o === "newest" ? "Newest first" : "Oldest first"}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      </FilterMenu>

      <div class="filter-actions">
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
        <a class="button button-quiet" href={action}>
          Clear filters
        </a>
      </div>
      <div class="filter-errors">
        {QUERY_FIELDS.map((field) => (
          <FieldError field={field} errors={errors} />
        ))}
      </div>
    </form>
  );
}
