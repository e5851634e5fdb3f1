import Html from "@kitajs/html";
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
      data-invalid={message ? "true" : "false"}
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

const connectorOptionsHtml = new WeakMap<readonly Connector[], string>();

/**
 * The connector options. An account can have hundreds of connectors, and the list (cached for a few
 * seconds) is the same object from request to request, so its markup is built once per list and only
 * the chosen options are marked on each render.
 */
function ConnectorOptions({
  connectors,
  selected,
  byDefault,
}: {
  connectors: readonly Connector[];
  selected: readonly string[];
  /** The connector the page's address means when its query names none (a connector's own page). */
  byDefault: string | null;
}): JSX.Element {
  let html = connectorOptionsHtml.get(connectors);
  if (html === undefined) {
    html = connectors
      .map((c) => `<option value="${Html.escapeHtml(c.id)}">${Html.escapeHtml(c.name)}</option>`)
      .join("");
    connectorOptionsHtml.set(connectors, html);
  }
  const mark = (id: string, attribute: string) => {
    const start = `<option value="${Html.escapeHtml(id)}"`;
    const at = html!.indexOf(start) + start.length;
    if (at >= start.length) html = `${html!.slice(0, at)} ${attribute}${html!.slice(at)}`;
  };
  if (byDefault) mark(byDefault, "data-default");
  for (const id of selected) mark(id, "selected");
  return html;
}

/**
 * A multiple-choice filter of fixed values. Values from the address that are not choices stay in the
 * list, chosen and marked unknown, so the user sees what was refused next to the message.
 */
function ChoiceField<T extends string>({
  field,
  label,
  choices,
  labels,
  chosen,
  errors,
}: {
  field: QueryField;
  label: string;
  choices: readonly T[];
  labels: Record<T, string>;
  chosen: readonly string[];
  errors: FieldErrors;
}) {
  const unknown = chosen.filter((value) => !choices.includes(value as T));
  return (
    <div class="field">
      <label for={field} safe>
        {label}
      </label>
      <select
        id={field}
        name={field}
        multiple="multiple"
        size={String(choices.length)}
        aria-describedby={`error-${field}`}
        aria-invalid={invalid(errors, field)}
      >
        {unknown.map((value) => (
          <option value={value} selected safe>
            {`Unknown: ${value}`}
          </option>
        ))}
        {choices.map((value) => (
          <option value={value} selected={chosen.includes(value)}>
            {Html.escapeHtml(labels[value])}
          </option>
        ))}
      </select>
      <FieldError field={field} errors={errors} />
    </div>
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
      <FieldError field={field} errors={errors} />
    </div>
  );
}

const invalid = (errors: FieldErrors, field: QueryField) => (errors[field] ? "true" : undefined);

export type JobFiltersProps = {
  ctx: ViewContext;
  raw: RawJobQuery;
  errors: FieldErrors;
  connectors: readonly Connector[];
  /** The page the form submits to. */
  path: string;
  /** The connector that the page's address means when its query names none (a connector's own page). */
  defaultConnector?: string | null;
};

/**
 * The filters: one plain GET form. htmx swaps the results in place; without JavaScript it reloads.
 * app.js keeps the controls in step with the address (after Back, Forward or a link) by their names and
 * `data-default`: the value a field or select takes when the address leaves its name out, or, on an
 * option or checkbox, that it is chosen then.
 */
export function JobFilters({ ctx, raw, errors, connectors, path, defaultConnector = null }: JobFiltersProps) {
  const action = href(ctx, path);
  const known = new Set(connectors.map((c) => c.id));
  const unknownConnectors = raw.connector.filter((id) => !known.has(id));
  const swap = {
    "hx-get": action,
    "hx-target": "#results",
    "hx-swap": "outerHTML show:none",
    "hx-push-url": "true",
  };
  return (
    <form id="filters" class="filters" method="get" action={action} aria-label="Filter jobs" {...swap}>
      <div class="field field-search">
        <label for="q">Search</label>
        <div class="search-box">
          <Icon name="search" />
          <input
            type="search"
            id="q"
            name="q"
            value={raw.q}
            placeholder="Description, connector, job ID or reason"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="error-q hint-q"
            aria-invalid={invalid(errors, "q")}
            hx-get={action}
            hx-trigger="input delay:350ms, search"
            hx-target="#results"
            hx-swap="outerHTML show:none"
            hx-push-url="true"
            hx-include="#filters"
            hx-sync="#filters:queue last"
          />
          <kbd id="hint-q" class="hint" title="Press / to search">
            /
          </kbd>
        </div>
        <FieldError field="q" errors={errors} />
      </div>

      <button
        type="button"
        class="button filters-toggle"
        aria-expanded="true"
        aria-controls="filter-fields"
        hidden
      >
        Filters
      </button>
      <div id="filter-fields" class="filter-fields">
        <div class="field">
          <label for="connector">Connector</label>
          <select
            id="connector"
            name="connector"
            multiple="multiple"
            size={String(Math.min(6, Math.max(3, connectors.length + unknownConnectors.length)))}
            aria-describedby="error-connector"
            aria-invalid={invalid(errors, "connector")}
          >
            {unknownConnectors.map((id) => (
              <option value={id} selected safe>
                {`Unknown: ${id}`}
              </option>
            ))}
            <ConnectorOptions connectors={connectors} selected={raw.connector} byDefault={defaultConnector} />
          </select>
          <FieldError field="connector" errors={errors} />
        </div>

        <ChoiceField
          field="status"
          label="Status"
          choices={JOB_STATUSES}
          labels={JOB_STATUS_LABELS}
          chosen={raw.status}
          errors={errors}
        />
        <ChoiceField
          field="type"
          label="Type"
          choices={JOB_TYPES}
          labels={JOB_TYPE_LABELS}
          chosen={raw.type}
          errors={errors}
        />

        <div class="field-group">
          <div class="field">
            <label for="span">Time span</label>
            <select
              id="span"
              name="span"
              aria-describedby="error-span"
              aria-invalid={invalid(errors, "span")}
            >
              <option value="" selected={raw.span === ""}>
                Any time
              </option>
              {raw.span && !SPANS.includes(raw.span as never) ? (
                <option value={raw.span} selected safe>
                  {`Unknown: ${raw.span}`}
                </option>
              ) : (
                ""
              )}
              {SPANS.map((s) => (
                <option value={s} selected={raw.span === s} safe>
                  {SPAN_LABELS[s]}
                </option>
              ))}
            </select>
            <FieldError field="span" errors={errors} />
          </div>
          <DateField field="from" label="Start date" value={raw.from} errors={errors} />
          <DateField field="to" label="End date" value={raw.to} errors={errors} />
        </div>

        <div class="field-group">
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
            <FieldError field="size" errors={errors} />
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
            <FieldError field="order" errors={errors} />
          </div>
        </div>
        <FieldError field="cursor" errors={errors} />
      </div>

      <div class="filter-actions">
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
        <a class="button button-quiet" href={action}>
          Clear filters
        </a>
      </div>
    </form>
  );
}
