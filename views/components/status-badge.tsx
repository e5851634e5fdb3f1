import Html from "@kitajs/html";
import { isProblem } from "../../src/jobs/rules";
import { JOB_STATUS_LABELS, type JobStatus } from "../../src/jobs/vocabulary";

/**
 * A status as icon and text, never colour alone; "Cancelling…" while a cancel request is pending. The
 * icon comes from the stylesheet (`.badge-<status>::before`).
 */
export function StatusBadge({ status, cancelling = false }: { status: JobStatus; cancelling?: boolean }) {
  const label = cancelling ? "Cancelling…" : JOB_STATUS_LABELS[status];
  return (
    <span class={`badge badge-${cancelling ? "cancelling" : status}`}>
      {Html.escapeHtml(label)}
      {isProblem(status) ? <span class="visually-hidden"> (needs attention)</span> : ""}
    </span>
  );
}
