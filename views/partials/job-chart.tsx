import { formatCount, formatDate } from "../../src/format";
import { CHART_STATUSES, type ChartStatus, type JobChart } from "../../src/jobs/job-chart";
import { JOB_STATUS_LABELS } from "../../src/jobs/vocabulary";

// Each day is a slot 10 units wide and the bars stand on a baseline at 100, so most coordinates are short
// integers: the chart is drawn on every list page and its bytes count.
const SLOT = 10;
const BAR = 8;
const HEIGHT = 100;

const dayLabel = (day: string) => formatDate(`${day}T12:00:00.000Z`, "UTC");
/** "3 Nov": the caption says the year. */
const shortDay = (day: string) => dayLabel(day).slice(0, -5);

/**
 * Jobs per day, stacked by how they ended: a plain SVG drawn on the server (no charting library), with
 * the same numbers in a visually hidden table for screen readers.
 */
export function JobChartView({ chart }: { chart: JobChart }): JSX.Element {
  // A chart depends on its data only, and the same chart object is served again until the account's jobs
  // change (src/jobs/summary-cache.ts): it is drawn once.
  let drawn = drawnCharts.get(chart);
  if (drawn === undefined) {
    drawn = drawChart(chart);
    drawnCharts.set(chart, drawn);
  }
  return drawn;
}

const drawnCharts = new WeakMap<JobChart, JSX.Element>();

function drawChart(chart: JobChart): JSX.Element {
  if (chart.days.length === 0) return "";
  const totals = chart.days.map((d) => CHART_STATUSES.reduce((n, s) => n + d.counts[s], 0));
  const max = Math.max(1, ...totals);
  const width = SLOT * chart.days.length;
  const scale = (HEIGHT - 4) / max;
  const sum = totals.reduce((a, b) => a + b, 0);
  const first = chart.days[0]!.day;
  const last = chart.days[chart.days.length - 1]!.day;
  // One path per status for all the days, a bar being a small rectangle in it, and one hover area with
  // the numbers per day: the chart stays a few kilobytes however many days it shows.
  const bars = Object.fromEntries(CHART_STATUSES.map((st) => [st, ""])) as Record<ChartStatus, string>;
  const short = (n: number) => String(Math.round(n * 10) / 10);
  chart.days.forEach((d, i) => {
    let y = HEIGHT;
    const x = i * SLOT + (SLOT - BAR) / 2;
    for (const st of CHART_STATUSES) {
      if (d.counts[st] === 0) continue;
      const h = Math.max(d.counts[st] * scale, 0.5);
      y -= h;
      bars[st] += `M${x} ${short(y)}h${BAR}v${short(h)}h-${BAR}z`;
    }
  });
  const caption = `Finished jobs per day, ${dayLabel(first)} to ${dayLabel(last)}${chart.truncated ? ` (the last ${chart.days.length} days of the filter)` : ""}`;
  return (
    <figure class="chart" aria-labelledby="chart-caption">
      <figcaption id="chart-caption" class="chart-caption">
        <span safe>{caption}</span>
        <span class="chart-legend" aria-hidden="true">
          {CHART_STATUSES.map((s) => (
            <span class={`legend-item fill-${s}`} safe>
              {JOB_STATUS_LABELS[s]}
            </span>
          ))}
        </span>
      </figcaption>
      {sum === 0 ? <p class="chart-empty">No job finished on these days.</p> : ""}
      <svg
        class="chart-svg"
        viewBox={`0 0 ${width} ${HEIGHT + 1}`}
        preserveAspectRatio="none"
        role="img"
        aria-labelledby="chart-caption"
      >
        <path class="chart-axis" d={`M0 ${HEIGHT}H${width}`} />
        <g class="chart-hits">
          {chart.days.map((d, i) => (
            <rect x={String(i * SLOT)}>
              <title safe>
                {`${shortDay(d.day)}: ${
                  CHART_STATUSES.filter((s) => d.counts[s] > 0)
                    .map((s) => `${formatCount(d.counts[s])} ${JOB_STATUS_LABELS[s].toLowerCase()}`)
                    .join(", ") || "none"
                }`}
              </title>
            </rect>
          ))}
        </g>
        {CHART_STATUSES.map((status) => (
          <path class={`fill-${status}`} d={bars[status]} />
        ))}
      </svg>
      <div class="chart-scale" aria-hidden="true">
        <span safe>{dayLabel(first)}</span>
        {/* The scale's floor of 1 keeps empty bars drawable; it is no day's count, so an empty chart
            names no maximum. */}
        <span safe>
          {sum === 0 ? "no finished jobs" : `max ${formatCount(max)} a day · ${formatCount(sum)} in all`}
        </span>
        <span safe>{dayLabel(last)}</span>
      </div>
      <table class="visually-hidden">
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {CHART_STATUSES.map((s) => (
              <th scope="col" safe>
                {JOB_STATUS_LABELS[s]}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {chart.days.map((d, i) => (
            <tr>
              <th safe>{dayLabel(d.day)}</th>
              {CHART_STATUSES.map((s) => (
                <td safe>{formatCount(d.counts[s])}</td>
              ))}
              <td safe>{formatCount(totals[i]!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
