import { formatDateTime } from "../../src/format";
import type { ViewContext } from "../view-context";

/** A moment in the user's time zone, machine-readable in `datetime`. */
export function Time({ ctx, iso }: { ctx: ViewContext; iso: string }) {
  return (
    <time datetime={iso} safe>
      {formatDateTime(iso, ctx.timeZone)}
    </time>
  );
}
