import { isProblem } from "../../src/jobs/rules";
import { JOB_STATUS_LABELS, type JobStatus } from "../../src/jobs/vocabulary";
import { Icon, type IconName } from "./icons";

const ICONS: Record<JobStatus, IconName> = {
  scheduled: "clock",
  in_progress: "spinner",
  successful: "check",
  incomplete: "warning",
  unsuccessful: "cross",
  cancelled: "ban",
};

/** A status as icon and text, never colour alone; "Cancelling…" while a cancel request is pending. */
export function StatusBadge({ status, cancelling = false }: { status: JobStatus; cancelling?: boolean }) {
  const label = cancelling ? "Cancelling…" : JOB_STATUS_LABELS[status];
  return (
    <span class={`badge badge-${cancelling ? "cancelling" : status}`}>
      <Icon name={cancelling ? "ban" : ICONS[status]} />
      <span safe>{label}</span>
      {isProblem(status) ? <span class="visually-hidden"> (needs attention)</span> : ""}
    </span>
  );
}
