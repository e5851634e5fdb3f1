import { Icon } from "../components/icons";
import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";

export type LoginPageData = {
  email: string;
  next: string;
  csrfToken: string;
  /** A problem with the whole attempt (wrong credentials, locked), or null. */
  error: string | null;
  fieldErrors: { email?: string; password?: string };
  notice: string | null;
};

export function LoginPage({ ctx, data }: { ctx: ViewContext; data: LoginPageData }) {
  return (
    <Layout ctx={ctx} title="Sign in">
      <div class="login">
        <h1>Sign in to Job Monitor</h1>
        <p class="lede">See every backup and restore of your connectors, and why a job needs you.</p>
        {data.notice ? (
          <p class="notice" role="status" safe>
            {data.notice}
          </p>
        ) : (
          ""
        )}
        {data.error ? (
          <div class="alert" role="alert">
            <Icon name="warning" />
            <span safe>{data.error}</span>
          </div>
        ) : (
          ""
        )}
        <form method="post" action={href(ctx, "/login")} class="stack" novalidate>
          <input type="hidden" name="_csrf" value={data.csrfToken} />
          <input type="hidden" name="next" value={data.next} />
          <div class="field">
            <label for="email">E-mail</label>
            <input
              type="email"
              id="email"
              name="email"
              value={data.email}
              autocomplete="username"
              required
              autofocus={!data.email}
              aria-describedby="error-email"
              aria-invalid={data.fieldErrors.email ? "true" : undefined}
            />
            <p id="error-email" class="field-error" safe>
              {data.fieldErrors.email ?? ""}
            </p>
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input
              type="password"
              id="password"
              name="password"
              autocomplete="current-password"
              required
              autofocus={Boolean(data.email)}
              aria-describedby="error-password"
              aria-invalid={data.fieldErrors.password ? "true" : undefined}
            />
            <p id="error-password" class="field-error" safe>
              {data.fieldErrors.password ?? ""}
            </p>
          </div>
          <button type="submit" class="button button-primary button-wide">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
