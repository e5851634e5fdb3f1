/** What every view knows about the request it renders for. Views are pure functions of this and their data. */
export type ViewContext = {
  /** A message left by the previous request for this page (see src/web/flash.ts). */
  flash: string | null;
  /** The base path for assets and cookies: "" or "/backup/job-monitor". */
  base: string;
  /** Where page links point: the base path, plus "/embed" in the embedded layout. */
  root: string;
  embed: boolean;
  assets: Readonly<Record<string, string>>;
  csrfToken: string | null;
  user: { email: string } | null;
  account: { name: string; serviceId: string } | null;
  timeZone: string;
  /** "Europe/Copenhagen (UTC+01:00)". */
  zoneLabel: string;
  /** Whether the zone came from the user's setting (otherwise the browser's, or UTC). */
  zoneFromSetting: boolean;
  refreshSeconds: number;
  /** The time the page was rendered, ISO-8601 UTC. */
  now: string;
  theme: "auto" | "light" | "dark";
};

/** A link inside the product, respecting the base path and the embedded layout. */
export function href(ctx: ViewContext, path: string): string {
  return `${ctx.root}${path}`;
}

/** An asset's cache-busting URL. */
export function asset(ctx: ViewContext, name: string): string {
  const url = ctx.assets[name];
  if (!url) throw new Error(`unknown asset ${name}`);
  return url;
}
