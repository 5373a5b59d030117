import type { FunnelStep } from './api.ts';
import { ChartSvg } from './chart-svg.tsx';
import { DataTable } from './data-table.tsx';

/** The chart's geometry: one row per step, the bar scaled to the first step's count. */
const ROW = 36;
const LABEL_W = 130;
const BAR_W = 260;
const WIDTH = LABEL_W + BAR_W + 170;

/** "2 reached, 1 lost": the words of one step, shared by the bar's text, its title and the table. */
export function stepText(s: FunnelStep): string {
  const pending = s.pending > 0 ? `, ${s.pending.toLocaleString('en')} pending` : '';
  return `${s.count.toLocaleString('en')} reached, ${s.lost.toLocaleString('en')} lost${pending}`;
}

/** The reasons a step lost visitors: "no consent (3); no uid (1)", or "none". */
function reasonsText(s: FunnelStep): string {
  return s.reasons.length === 0 ? 'none' : s.reasons.map((r) => `${r.reason} (${r.count})`).join('; ');
}

/**
 * A run's delivery funnel as an SVG bar chart: one bar per step (eligible, consented, hasId, sent,
 * acknowledged), its length the step's count against the first step's, with the count and the lost count
 * written beside it. The chart is one image to a screen reader (its title says every step); the table
 * beside it holds the same numbers and the reasons lost, for reading and for copying.
 */
export function FunnelChart({
  steps,
  id = 'funnel',
  caption = 'Delivery funnel of the run',
}: {
  steps: FunnelStep[];
  /** unique on the page: the chart's title is `${id}-title` */
  id?: string;
  caption?: string;
}) {
  const top = Math.max(1, ...steps.map((s) => s.count));
  const summary = `Delivery funnel: ${steps.map((s) => `${s.step} ${stepText(s)}`).join('; ')}`;
  return (
    <figure class="funnel">
      <ChartSvg id={id} width={WIDTH} height={steps.length * ROW + 8} summary={summary}>
        {steps.map((s, i) => {
          const w = Math.round((s.count / top) * BAR_W);
          const y = i * ROW + 4;
          return (
            <g key={s.step} data-step={s.step} aria-label={`${s.step}: ${stepText(s)}`}>
              <title>{`${s.step}: ${stepText(s)}`}</title>
              <text x={0} y={y + 20} class="step" fill="#1a1a1a">
                {s.step}
              </text>
              <rect x={LABEL_W} y={y} width={Math.max(w, 1)} height={ROW - 10} fill="#1a5fb4" />
              <text x={LABEL_W + Math.max(w, 1) + 8} y={y + 20} class="count" fill="#1a1a1a">
                {stepText(s)}
              </text>
            </g>
          );
        })}
      </ChartSvg>
      <figcaption>
        <DataTable caption={<>{caption}</>} columns={['Step', 'Reached', 'Lost', 'Pending', 'Reasons lost']}>
          {steps.map((s) => (
            <tr key={s.step} data-step={s.step}>
              <th scope="row">{s.step}</th>
              <td>{s.count.toLocaleString('en')}</td>
              <td>{s.lost.toLocaleString('en')}</td>
              <td>{s.pending.toLocaleString('en')}</td>
              <td>{reasonsText(s)}</td>
            </tr>
          ))}
        </DataTable>
      </figcaption>
    </figure>
  );
}
