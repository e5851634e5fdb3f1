import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";

export type SettingsData = {
  zones: readonly string[];
  /** The saved zone, or "" to follow the browser. */
  saved: string;
  error: string | null;
  notice: string | null;
};

export function SettingsPage({ ctx, data }: { ctx: ViewContext; data: SettingsData }) {
  return (
    <Layout ctx={ctx} title="Settings" section="settings">
      <div class="page-head">
        <h1>Settings</h1>
        <p class="lede">
          Times are shown in <strong safe>{ctx.zoneLabel}</strong>
          {ctx.zoneFromSetting
            ? " (your setting)."
            : ctx.timeZone === "UTC"
              ? "."
              : " (your browser's zone)."}
        </p>
      </div>
      {data.notice ? (
        <p class="notice" role="status" safe>
          {data.notice}
        </p>
      ) : (
        ""
      )}
      <form method="post" action={href(ctx, "/settings")} class="settings-form stack">
        <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />
        <div class="field">
          <label for="time_zone">Time zone</label>
          <select
            id="time_zone"
            name="time_zone"
            aria-describedby="error-time_zone hint-time_zone"
            aria-invalid={data.error ? "true" : undefined}
          >
            <option value="" selected={data.saved === ""}>
              Follow my browser
            </option>
            {data.zones.map((zone) => (
              <option value={zone} selected={data.saved === zone} safe>
                {zone}
              </option>
            ))}
          </select>
          <p id="hint-time_zone" class="muted small">
            Used for every time and date on the pages and for the date filters. Downloads always use UTC.
          </p>
          <p id="error-time_zone" class="field-error" safe>
            {data.error ?? ""}
          </p>
        </div>
        <div>
          <button type="submit" class="button button-primary">
            Save settings
          </button>
        </div>
      </form>
    </Layout>
  );
}
