import type { Job } from "../../src/jobs/job";
import { JOB_STATUS_LABELS } from "../../src/jobs/vocabulary";
import { Icon } from "../components/icons";
import { Layout } from "../layout";
import { href, type ViewContext } from "../view-context";
import { reportBodyId } from "./job-report";
import { jobPath, jobRowId } from "./job-row";

export type CancelStep =
  | { step: "ask" }
  | { step: "password"; error: string | null }
  | { step: "refused"; message: string };

export type CancelData = { job: Job; returnTo: string } & CancelStep;

const what = (job: Job) => (job.type === "item_restore" ? "item restore" : "restore");

function subject(job: Job): string {
  const text = job.description.trim() || job.id;
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

function withReturn(path: string, returnTo: string, extra: Record<string, string> = {}) {
  const p = new URLSearchParams({ ...extra, return: returnTo });
  return `${path}?${p.toString()}`;
}

/** The steps of cancelling a restore: ask, then the password. The same content as dialog or page. */
function CancelContent({ ctx, data, dialog }: { ctx: ViewContext; data: CancelData; dialog: boolean }) {
  const { job, returnTo } = data;
  const cancelPath = `${jobPath(job)}/cancel`;
  const noButton = (
    <a class="button" href={returnTo} data-close-dialog={dialog ? "" : undefined}>
      No, keep it running
    </a>
  );
  if (data.step === "refused") {
    return (
      <>
        <h2 id="cancel-title">This job cannot be cancelled</h2>
        <p id="cancel-text" safe>
          {data.message}
        </p>
        <div class="dialog-actions">
          <a class="button" href={returnTo} data-close-dialog={dialog ? "" : undefined}>
            Close
          </a>
        </div>
      </>
    );
  }
  if (data.step === "ask") {
    const yes = withReturn(cancelPath, returnTo, { step: "password" });
    return (
      <>
        <h2 id="cancel-title" safe>{`Cancel the ${what(job)} of “${subject(job)}”?`}</h2>
        <p id="cancel-text">
          <span
            safe
          >{`The ${what(job)} on ${job.connectorName} is ${JOB_STATUS_LABELS[job.status].toLowerCase()}.`}</span>{" "}
          {job.status === "scheduled"
            ? "It has not started, so it is cancelled at once."
            : "Items it has already written stay in the target; it stops when its engine next reports."}
        </p>
        <div class="dialog-actions">
          <a
            class="button button-danger solid"
            href={href(ctx, yes)}
            hx-get={dialog ? href(ctx, yes) : undefined}
            hx-target={dialog ? "#dialog-slot" : undefined}
            hx-swap={dialog ? "innerHTML" : undefined}
            data-autofocus=""
          >
            Yes
          </a>
          {noButton}
        </div>
      </>
    );
  }
  return (
    <>
      <h2 id="cancel-title">Confirm with your password</h2>
      <p id="cancel-text" safe>
        {`To cancel the ${what(job)} of “${subject(job)}”, enter the password you sign in with.`}
      </p>
      {data.error ? (
        <div class="alert" role="alert">
          <Icon name="warning" />
          <span safe>{data.error}</span>
        </div>
      ) : (
        ""
      )}
      <form
        method="post"
        action={href(ctx, cancelPath)}
        hx-post={dialog ? href(ctx, cancelPath) : undefined}
        hx-target={dialog ? "#dialog-slot" : undefined}
        hx-swap={dialog ? "innerHTML" : undefined}
        data-oob-targets={dialog ? `${jobRowId(job)} ${reportBodyId(job)}` : undefined}
        class="stack"
      >
        <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />
        <input type="hidden" name="return" value={returnTo} />
        <div class="field">
          <label for="cancel-password">Password</label>
          <input
            type="password"
            id="cancel-password"
            name="password"
            autocomplete="current-password"
            required
            autofocus
            aria-invalid={data.error ? "true" : undefined}
          />
        </div>
        <div class="dialog-actions">
          <button type="submit" class="button button-danger solid">
            Confirm
          </button>
          {noButton}
        </div>
      </form>
    </>
  );
}

export function CancelDialog({ ctx, data }: { ctx: ViewContext; data: CancelData }) {
  return (
    <dialog class="dialog" aria-labelledby="cancel-title" aria-describedby="cancel-text">
      <CancelContent ctx={ctx} data={data} dialog />
    </dialog>
  );
}

export function CancelPage({ ctx, data }: { ctx: ViewContext; data: CancelData }) {
  return (
    <Layout ctx={ctx} title="Cancel restore" section="jobs">
      <section class="dialog-page" aria-labelledby="cancel-title">
        <CancelContent ctx={ctx} data={data} dialog={false} />
      </section>
    </Layout>
  );
}

/** What replaces the dialog after a cancel: a short confirmation that screen readers announce. */
export function CancelDone({ job }: { job: Job }) {
  return (
    <p class="toast" role="status" safe>
      {job.status === "cancelled"
        ? `The ${what(job)} ${job.id} was cancelled.`
        : `Cancelling the ${what(job)} ${job.id}: it stops when its engine next reports.`}
    </p>
  );
}
