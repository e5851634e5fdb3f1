import type { Context, MiddlewareHandler } from "hono";
import { MessagePage } from "../../views/pages/message-page";
import type { AppDeps } from "../context";
import { html, type PageEnv, viewContext } from "./pages";

// Every form the pages post is read here once, before the CSRF check and the route: a body that cannot
// be read as a form, or a file where the product only ever asks for text, is answered 400 naming what is
// wrong, instead of failing later (a 500) or being read as an empty field (which cleared a setting and
// counted as a wrong password). Routes then read fields with formText.

const FORM_TYPES = new Set(["multipart/form-data", "application/x-www-form-urlencoded"]);

function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function refuse(
  c: Context<PageEnv>,
  deps: AppDeps,
  assets: Readonly<Record<string, string>>,
  message: string,
) {
  return html(
    c,
    <MessagePage ctx={viewContext(c, deps, assets)} title="This form could not be read" message={message} />,
    400,
  );
}

/** Reads a posted form up front (Hono keeps it for the route), refusing what no page's form sends. */
export function formBody(
  deps: AppDeps,
  assets: Readonly<Record<string, string>>,
): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(c.req.method) || !FORM_TYPES.has(mediaType(c))) return next();
    let form: FormData;
    try {
      await c.req.parseBody();
      form = await c.req.formData();
    } catch {
      return refuse(
        c,
        deps,
        assets,
        "The request body is not a well-formed form. Reload the page and try again.",
      );
    }
    for (const [name, value] of form) {
      if (typeof value !== "string") {
        const field = name.length > 60 ? `${name.slice(0, 59)}…` : name;
        return refuse(c, deps, assets, `The field “${field}” must be text, not a file.`);
      }
    }
    await next();
  };
}

/** A text field of a form read by formBody, or undefined when the form has no such field. */
export function formText(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  return typeof value === "string" ? value : undefined;
}
