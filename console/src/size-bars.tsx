import { ChartSvg } from './chart-svg.tsx';

/** One bar: what it is and how many. */
export interface Bar {
  label: string;
  value: number;
}

const ROW = 28;
const LABEL_W = 190;
const BAR_W = 260;
const WIDTH = LABEL_W + BAR_W + 90;

/** A label that fits its column: long names are cut with an ellipsis (the title and table keep them whole). */
function fit(label: string): string {
  return label.length > 26 ? `${label.slice(0, 25)}…` : label;
}

/**
 * Sizes as an SVG bar chart, one bar per row scaled to the largest, the number written beside it. The
 * chart is one image to a screen reader (its title lists every bar); a table beside it holds the numbers.
 *
 * Example: `<SizeBars id="top" bars={[{ label: 'Visitors', value: 1204 }, { label: 'Buyers', value: 96 }]} />`
 */
export function SizeBars({ bars, id }: { bars: Bar[]; id: string }) {
  const top = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 8;
  const summary = `Sizes: ${bars.map((b) => `${b.label} ${b.value.toLocaleString('en')}`).join('; ')}`;
  return (
    <ChartSvg id={id} width={WIDTH} height={height} summary={summary}>
      {bars.map((b, i) => {
        const w = Math.max(1, Math.round((b.value / top) * BAR_W));
        const y = i * ROW + 4;
        return (
          <g key={`${b.label}-${i}`}>
            <text x={0} y={y + 15} fill="#1a1a1a">
              {fit(b.label)}
            </text>
            <rect x={LABEL_W} y={y} width={w} height={ROW - 8} fill="#1a5fb4" />
            <text x={LABEL_W + w + 6} y={y + 15} fill="#1a1a1a">
              {b.value.toLocaleString('en')}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}
