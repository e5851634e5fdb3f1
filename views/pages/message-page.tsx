import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";

/** A page that only says something: not found, gone, refused. */
export function MessagePage({
  ctx,
  title,
  message,
  back = { path: "/jobs", label: "Back to the Job Monitor" },
}: {
  ctx: ViewContext;
  title: string;
  message: string;
  back?: { path: string; label: string } | null;
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <div class="message-page">
        <h1 safe>{title}</h1>
        <p safe>{message}</p>
        {back ? (
          <p>
            <a class="button" href={href(ctx, back.path)} safe>
              {back.label}
            </a>
          </p>
        ) : (
          ""
        )}
      </div>
    </Layout>
  );
}
