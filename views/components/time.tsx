import { formatDateTime } from "../../src/format";
import type { ViewContext } from "../view-context";

/**
 * A moment in the user's time zone, machine-readable in `datetime`. `short` leaves out the year when it
 * is this year (the table's rows).
 */
export function Time({ ctx, iso, short = false }: { ctx: ViewContext; iso: string; short?: boolean }) {
  const text = formatDateTime(iso, ctx.timeZone);
  if (short) {
    const year = `${formatDateTime(ctx.now, ctx.timeZone).slice(-12, -7)},`;
    if (text.includes(year)) {
      return (
        <time datetime={iso.replace(".000Z", "Z")} safe>
          {text.replace(year, ",")}
        </time>
      );
    }
  }
  return (
    <time datetime={iso} safe>
      {text}
    </time>
  );
}
