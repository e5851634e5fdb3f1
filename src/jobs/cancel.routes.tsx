import { type Context, Hono } from "hono";
import { type CancelData, CancelDialog, CancelDone, CancelPage } from "../../views/partials/cancel-dialog";
import { JobReport, reportBodyId } from "../../views/partials/job-report";
import { JobRow, jobRowId } from "../../views/partials/job-row";
import { recordAudit } from "../audit/audit.repository";
import { safeNext, waitText } from "../auth/auth.routes";
import { claimCancelAttempt, clearCancelAttempts } from "../auth/login-attempts";
import { MAX_PASSWORD_LENGTH, verifyPassword } from "../auth/passwords";
import { findUser } from "../auth/users.repository";
import type { AppDeps } from "../context";
import { clientIp, requestOrigin } from "../web/client";
import { missingPage } from "../web/error-pages";
import { setFlash } from "../web/flash";
import { formText } from "../web/forms";
import { html, htmxCurrentUrl, isHtmx, type PageEnv, viewContext } from "../web/pages";
import type { Job } from "./job";
import { requestCancel } from "./job-lifecycle";
import { loadJobReport } from "./job-report";
import { findJob } from "./jobs.repository";
import { canBeCancelled } from "./rules";
import { JOB_STATUS_LABELS, JOB_TYPE_LABELS } from "./vocabulary";

/** Why a job offers no cancel, in words. */
function refusal(job: Job): string {
  if (job.type !== "restore" && job.type !== "item_restore") {
    // The type as the page's Type column names it ("ZIP download", not "zip download").
    return `Only restores and item restores can be cancelled. This job is a ${JOB_TYPE_LABELS[job.type]}.`;
  }
  if (job.cancelRequestedAt) return "A cancel has already been requested for this restore.";
  return `This restore has already finished (${JOB_STATUS_LABELS[job.status]}).`;
}

/** Cancel a restore: Cancel → Yes → password → Confirm, as a dialog with htmx or as pages without. */
export function cancelRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, clock, config } = deps;
  const routes = new Hono<PageEnv>();

  /** Where the user started (the list or the report), so Confirm and No lead back there. */
  function returnTo(c: Context<PageEnv>, job: Job, given?: string): string {
    const root = `${config.basePath}${c.get("embed") ? "/embed" : ""}`;
    const fallback = `${root}/jobs/${encodeURIComponent(job.id)}`;
    const from = given ?? htmxCurrentUrl(c, config)?.href ?? c.req.header("referer");
    if (!from) return fallback;
    const origin = requestOrigin(c, config);
    let path: string;
    try {
      const url = new URL(from, origin);
      if (url.origin !== origin) return fallback;
      path = url.pathname + url.search;
    } catch {
      return fallback;
    }
    const safe = safeNext(path, root);
    return safe.endsWith("/cancel") || safe.includes("/cancel?") ? fallback : safe;
  }

  function render(c: Context<PageEnv>, data: CancelData, status: 200 | 400 | 401 | 409 | 429 = 200) {
    const ctx = viewContext(c, deps, assets);
    return isHtmx(c)
      ? html(c, <CancelDialog ctx={ctx} data={data} />, status)
      : html(c, <CancelPage ctx={ctx} data={data} />, status);
  }

  async function load(c: Context<PageEnv>) {
    const session = c.get("session")!;
    return findJob(db, session.account.id, c.req.param("jobId") ?? "");
  }

  function notFound(c: Context<PageEnv>) {
    const ctx = viewContext(c, deps, assets);
    return missingPage(c, ctx, "job");
  }

  routes.get("/jobs/:jobId/cancel", async (c) => {
    const job = await load(c);
    if (!job) return notFound(c);
    const back = returnTo(c, job, c.req.query("return"));
    if (!canBeCancelled(job) || job.cancelRequestedAt) {
      return render(c, { job, returnTo: back, step: "refused", message: refusal(job) }, 409);
    }
    if (c.req.query("step") === "password")
      return render(c, { job, returnTo: back, step: "password", error: null });
    return render(c, { job, returnTo: back, step: "ask" });
  });

  routes.post("/jobs/:jobId/cancel", async (c) => {
    const session = c.get("session")!;
    const job = await load(c);
    if (!job) return notFound(c);
    const form = await c.req.parseBody();
    const back = returnTo(c, job, formText(form, "return"));
    const password = formText(form, "password");
    const now = clock.now();
    const audit = {
      accountId: session.account.id,
      at: now.toISOString(),
      userId: session.user.id,
      email: session.user.email,
      ip: clientIp(c, deps.config),
    };

    if (!canBeCancelled(job)) {
      return render(c, { job, returnTo: back, step: "refused", message: refusal(job) }, 409);
    }
    if (password === undefined) {
      // Not the form's doing (it always sends the field): nothing to count as a try.
      const error = "Enter your password to confirm. Nothing was cancelled.";
      return render(c, { job, returnTo: back, step: "password", error }, 400);
    }
    // Tries are counted per session, never per e-mail: wrong passwords a stranger sends to the sign-in
    // form for this user's address do not stop her from cancelling in the session she has.
    const attempt = await claimCancelAttempt(db, session.sessionId, now);
    if (attempt.refusedUntil) {
      const error = `Too many wrong passwords. Try again in ${waitText(attempt.refusedUntil, now)}. Nothing was cancelled.`;
      return render(c, { job, returnTo: back, step: "password", error }, 429);
    }
    const user = await findUser(db, session.user.id);
    const ok =
      Boolean(user) &&
      password.length > 0 &&
      password.length <= MAX_PASSWORD_LENGTH &&
      (await verifyPassword(password, user!.password_hash));
    if (!ok) {
      const locked = attempt.lockedIfWrong;
      await recordAudit(db, { ...audit, event: "cancel_password_failed", detail: `job ${job.id}` });
      if (locked) await recordAudit(db, { ...audit, event: "cancel_locked", detail: `job ${job.id}` });
      const error = locked
        ? `The password is not right, and there have been too many tries. Try again in ${waitText(locked, now)}. Nothing was cancelled.`
        : password
          ? "The password is not right. Nothing was cancelled."
          : "Enter your password to confirm. Nothing was cancelled.";
      return render(c, { job, returnTo: back, step: "password", error }, locked ? 429 : 401);
    }
    await clearCancelAttempts(db, session.sessionId);

    const outcome = await requestCancel(db, clock, session.account.id, job.id, {
      id: session.user.id,
      email: session.user.email,
    });
    if (!outcome) return notFound(c);
    if (outcome.kind === "not_cancellable") {
      return render(
        c,
        { job: outcome.job, returnTo: back, step: "refused", message: refusal(outcome.job) },
        409,
      );
    }
    // Only the call whose update made the cancel is audited: a repeated submit (double click, a retry)
    // finds it already requested.
    if (outcome.made) {
      await recordAudit(db, {
        ...audit,
        event: "cancel_requested",
        detail: `job ${job.id} (${outcome.job.status})`,
      });
    }
    if (!isHtmx(c)) {
      // Without JavaScript the user lands on a page that must say what happened.
      setFlash(c, config, {
        kind: outcome.kind === "cancelled" ? "cancelled" : "cancel_requested",
        jobId: job.id,
      });
      return c.redirect(back, 303);
    }

    // With htmx the user stays where they are: the dialog closes and the row and the report show the new
    // state, each where it is on the page. The request names which are (X-On-Page, from app.js): an
    // out-of-band update without its element on the page is an error in the browser.
    const ctx = viewContext(c, deps, assets);
    const onPage = new Set((c.req.header("x-on-page") ?? "").split(/\s+/));
    const report = onPage.has(reportBodyId(job))
      ? await loadJobReport(db, session.account, job.id, {
          now,
          retentionDays: config.reportRetentionDays,
          query: { reason: null, after: null },
        })
      : null;
    return html(
      c,
      <>
        <CancelDone job={outcome.job} />
        {/* A table row cannot stand on its own in HTML: in a <template> it survives parsing, and htmx
            swaps it out of band from there instead of dumping its cells into the dialog slot. */}
        {onPage.has(jobRowId(job)) ? (
          <template>
            <JobRow ctx={ctx} job={outcome.job} oob />
          </template>
        ) : (
          ""
        )}
        {report ? (
          <JobReport
            ctx={ctx}
            data={report}
            standalone={new URL(back, "http://x").pathname.endsWith(`/jobs/${encodeURIComponent(job.id)}`)}
            oob
          />
        ) : (
          ""
        )}
      </>,
    );
  });

  return routes;
}
