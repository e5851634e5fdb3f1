import type { Children } from "@kitajs/html";
import { Icon, IconSprite } from "./components/icons";
import { asset, href, type ViewContext } from "./view-context";

// htmx runs without eval and without inline styles, so the Content-Security-Policy needs neither.
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  scrollIntoViewOnBoost: false,
  defaultFocusScroll: false,
  // Answers of 4xx carry something to show (a field message, a refusal, a wrong password): swap them.
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ],
});

type Section = "jobs" | "audit" | "settings" | "none";

export type LayoutProps = {
  ctx: ViewContext;
  title: string;
  section?: Section;
  children: Children;
  /** Where the skip link jumps: the results on list pages. */
  skipTo?: { id: string; label: string };
};

/** The page shell: the full product with header and navigation, or the chrome-less embedded variant. */
export function Layout({ ctx, title, section = "none", children, skipTo }: LayoutProps) {
  const skip = skipTo ?? { id: "main", label: "Skip to main content" };
  return (
    <>
      {"<!doctype html>"}
      <html lang="en" data-theme={ctx.theme} class={ctx.embed ? "embed" : undefined}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title safe>{`${title} · Job Monitor`}</title>
          <link rel="icon" href={asset(ctx, "favicon.svg")} type="image/svg+xml" />
          <link rel="stylesheet" href={asset(ctx, "app.css")} />
          <script src={asset(ctx, "vendor/htmx.min.js")} defer />
          <script src={asset(ctx, "app.js")} defer />
        </head>
        <body
          data-base={ctx.base}
          data-root={ctx.root}
          data-time-zone={ctx.timeZone}
          data-zone-from-setting={ctx.zoneFromSetting ? "1" : "0"}
          hx-headers={ctx.csrfToken ? JSON.stringify({ "X-CSRF-Token": ctx.csrfToken }) : undefined}
        >
          <IconSprite />
          <a class="skip-link" href={`#${skip.id}`} safe>
            {skip.label}
          </a>
          {ctx.embed ? "" : <Header ctx={ctx} section={section} />}
          <main id="main" tabindex="-1">
            {ctx.flash ? (
              <p class="notice flash" role="status" safe>
                {ctx.flash}
              </p>
            ) : (
              ""
            )}
            {children}
          </main>
          {ctx.embed ? "" : <Footer ctx={ctx} />}
        </body>
      </html>
    </>
  );
}

function Header({ ctx, section }: { ctx: ViewContext; section: Section }) {
  const link = (name: Section, path: string, label: string) => (
    <a href={href(ctx, path)} aria-current={section === name ? "page" : undefined} safe>
      {label}
    </a>
  );
  return (
    <header class="topbar">
      <a class="brand" href={href(ctx, "/jobs")}>
        <img src={asset(ctx, "favicon.svg")} alt="" width="24" height="24" />
        <span>Job Monitor</span>
      </a>
      {ctx.user ? (
        <>
          <nav class="topnav" aria-label="Main">
            {link("jobs", "/jobs", "Jobs")}
            {link("audit", "/audit", "Audit log")}
            {link("settings", "/settings", "Settings")}
          </nav>
          <div class="account">
            <span class="account-name" safe>
              {ctx.account?.name ?? ""}
            </span>
            <span class="muted">
              Service ID{" "}
              <span class="mono" safe>
                {ctx.account?.serviceId ?? ""}
              </span>
            </span>
            <ThemeSwitch ctx={ctx} />
            <form method="post" action={href(ctx, "/logout")} class="inline-form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />
              <button type="submit" class="button-link" title={`Signed in as ${ctx.user.email}`}>
                Sign out
              </button>
            </form>
          </div>
        </>
      ) : (
        <div class="account">
          <ThemeSwitch ctx={ctx} />
        </div>
      )}
    </header>
  );
}

/** Light, dark, or the system's choice; app.js saves the choice in a cookie. */
function ThemeSwitch({ ctx }: { ctx: ViewContext }) {
  const next = ctx.theme === "auto" ? "light" : ctx.theme === "light" ? "dark" : "auto";
  const label = { auto: "Theme: system", light: "Theme: light", dark: "Theme: dark" }[ctx.theme];
  return (
    <button
      type="button"
      class="theme-switch button-link"
      data-theme-next={next}
      aria-label={`${label}. Change theme`}
    >
      <Icon name={ctx.theme === "dark" ? "moon" : "sun"} />
      <span class="theme-label" safe>
        {label}
      </span>
    </button>
  );
}

function Footer({ ctx }: { ctx: ViewContext }) {
  return (
    <footer class="page-footer">
      <span>
        Times in <span safe>{ctx.zoneLabel}</span>
        {ctx.user ? (
          <>
            {" · "}
            <a href={href(ctx, "/settings")}>change</a>
          </>
        ) : (
          ""
        )}
      </span>
    </footer>
  );
}
