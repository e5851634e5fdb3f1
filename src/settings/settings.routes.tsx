import { Hono } from "hono";
import { SettingsPage } from "../../views/pages/settings-page";
import { setUserTimeZone } from "../auth/users.repository";
import type { AppDeps } from "../context";
import { isValidTimeZone } from "../format";
import { formText } from "../web/forms";
import { html, type PageEnv, viewContext } from "../web/pages";

const ZONES: readonly string[] = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];

/** The user's own settings: for now, the time zone the pages use. */
export function settingsRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const routes = new Hono<PageEnv>();

  routes.get("/settings", (c) => {
    const session = c.get("session")!;
    const notice = c.req.query("saved") === "1" ? "Your settings are saved." : null;
    return html(
      c,
      <SettingsPage
        ctx={viewContext(c, deps, assets)}
        data={{ zones: ZONES, saved: session.user.timeZone ?? "", error: null, notice }}
      />,
    );
  });

  routes.post("/settings", async (c) => {
    const session = c.get("session")!;
    const form = await c.req.parseBody();
    const given = formText(form, "time_zone");
    const zone = given?.trim() ?? "";
    // The form always sends the field ("" for the browser's zone); without it nothing is changed.
    const error =
      given === undefined
        ? "Choose a time zone from the list."
        : zone && !isValidTimeZone(zone)
          ? `“${zone.slice(0, 64)}” is not a time zone. Choose one from the list.`
          : null;
    if (error) {
      const data = { zones: ZONES, saved: zone, error, notice: null };
      return html(c, <SettingsPage ctx={viewContext(c, deps, assets)} data={data} />, 400);
    }
    await setUserTimeZone(deps.db, session.user.id, zone || null);
    return c.redirect(`${deps.config.basePath}${c.get("embed") ? "/embed" : ""}/settings?saved=1`, 303);
  });

  return routes;
}
