import type { Context } from "hono";
import { MessagePage } from "../../views/pages/message-page";
import type { ViewContext } from "../../views/view-context";
import type { AppDeps } from "../context";
import { html, type PageEnv, viewContext } from "./pages";

const MISSING = {
  job: { title: "Job not found", message: "There is no job with this ID in your account." },
  connector: { title: "Connector not found", message: "There is no connector with this ID in your account." },
};

/** The 404 page for a job or connector that is not in the signed-in user's account. */
export function missingPage(c: Context<PageEnv>, ctx: ViewContext, what: keyof typeof MISSING) {
  return html(c, <MessagePage ctx={ctx} title={MISSING[what].title} message={MISSING[what].message} />, 404);
}

export function notFoundPage(c: Context<PageEnv>, deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const ctx = viewContext(c, deps, assets);
  return html(
    c,
    <MessagePage
      ctx={ctx}
      title="Page not found"
      message="There is nothing at this address. It may have been mistyped, or the job or connector is not in your account."
    />,
    404,
  );
}

/** The answer to an unexpected error: it says what happened without showing internals. */
export function serverErrorPage(c: Context, deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const pc = c as Context<PageEnv>;
  if (pc.get("session") === undefined) pc.set("session", null);
  if (pc.get("embed") === undefined) pc.set("embed", false);
  const ctx = viewContext(pc, deps, assets);
  return c.html(
    MessagePage({
      ctx,
      title: "Something went wrong",
      message: "The service could not show this page. The problem has been logged; try again in a moment.",
    }) as string,
    500,
  );
}
