import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import { labelIndexes, linearScale, niceTicks } from './chart-scale.ts';
import { ChartSvg } from './chart-svg.tsx';
import { DataTable } from './data-table.tsx';

/** One day of a segment's trend: its size that day (today's is the exact size now). */
export interface TrendPoint {
  date: string;
  size: number;
}

/** What `GET /v1/segments/{code}/trend` answers. */
interface Trend {
  segment: string;
  days: number;
  asOf: string;
  points: TrendPoint[];
}

/** The chart's geometry: the plot inside margins that hold the axes' labels. */
const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 64;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 56;
/** The periods the select offers, in days. */
const PERIODS = [7, 30, 90, 365];

/** "2026-11-20 (1,204)": a day and its size. */
function dayText(p: TrendPoint): string {
  return `${p.date} (${p.size.toLocaleString('en')})`;
}

/**
 * A segment's daily sizes as an SVG bar chart, one bar a day, with a y axis of profiles and the dates
 * below; the table after it holds the same numbers for reading and screen readers.
 *
 * Example: `<TrendChart code="london_pricing" points={[{ date: '2026-11-20', size: 3 }]} />`
 */
export function TrendChart({ code, points }: { code: string; points: TrendPoint[] }) {
  const ticks = niceTicks(Math.max(0, ...points.map((p) => p.size)), 4);
  const y = linearScale([0, ticks[ticks.length - 1] ?? 1], [HEIGHT - BOTTOM, TOP]);
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, points.length);
  const bar = Math.max(1, Math.min(40, slot * 0.7));
  const first = points[0];
  const last = points[points.length - 1];
  const summary =
    first === undefined || last === undefined
      ? `Daily members of ${code}: no point yet`
      : `Daily members of ${code} from ${dayText(first)} to ${dayText(last)}, ${points.length} days`;
  return (
    <figure class="chart">
      <ChartSvg id="trend" width={WIDTH} height={HEIGHT} summary={summary}>
        {ticks.map((t) => (
          <g key={t} class="tick">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} stroke="#ddd" />
            <text x={LEFT - 6} y={y(t)} text-anchor="end" dominant-baseline="middle" fill="#1a1a1a">
              {t.toLocaleString('en')}
            </text>
          </g>
        ))}
        <line x1={LEFT} x2={LEFT} y1={TOP} y2={HEIGHT - BOTTOM} stroke="#1a1a1a" />
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} stroke="#1a1a1a" />
        {points.map((p, i) => {
          const x = LEFT + slot * i + (slot - bar) / 2;
          return (
            <rect
              key={p.date}
              data-date={p.date}
              x={x}
              y={y(p.size)}
              width={bar}
              height={Math.max(0, HEIGHT - BOTTOM - y(p.size))}
              fill="#1a5fb4"
            >
              <title>{`${p.date}: ${p.size.toLocaleString('en')} profiles`}</title>
            </rect>
          );
        })}
        {labelIndexes(points.length, 5).map((i) => (
          <text
            key={i}
            x={LEFT + slot * i + slot / 2}
            y={HEIGHT - BOTTOM + 18}
            text-anchor="middle"
            fill="#1a1a1a"
          >
            {points[i]?.date ?? ''}
          </text>
        ))}
        <text x={LEFT + (WIDTH - LEFT - RIGHT) / 2} y={HEIGHT - 8} text-anchor="middle" fill="#1a1a1a">
          Day (UTC)
        </text>
        <text
          x={14}
          y={TOP + (HEIGHT - TOP - BOTTOM) / 2}
          text-anchor="middle"
          fill="#1a1a1a"
          transform={`rotate(-90 14 ${TOP + (HEIGHT - TOP - BOTTOM) / 2})`}
        >
          Profiles
        </text>
      </ChartSvg>
      <figcaption>
        <DataTable
          id="trend-table"
          caption={<>Daily members of {code}</>}
          columns={['Day (UTC)', 'Profiles']}
        >
          {points.map((p) => (
            <tr key={p.date} data-date={p.date}>
              <th scope="row">{p.date}</th>
              <td>{p.size.toLocaleString('en')}</td>
            </tr>
          ))}
        </DataTable>
      </figcaption>
    </figure>
  );
}

/**
 * "Trend": the period to show (a select) and the trend of `GET /v1/segments/{code}/trend` as a chart
 * and a table. Days with no kept size (before the segment existed, or when the server was down at the
 * daily sizing) have no bar.
 *
 * Example: `<TrendSection code="london_pricing" />`
 */
export function TrendSection({ code }: { code: string }) {
  const [days, setDays] = useState(30);
  const [trend, setTrend] = useState<Trend | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    call<Trend>('GET', `/v1/segments/${encodeURIComponent(code)}/trend?days=${days}`)
      .then(setTrend)
      .catch((e: unknown) => {
        setTrend(undefined);
        setError(messageOf(e));
      });
  }, [code, days]);
  return (
    <section aria-labelledby="trend-heading">
      <h2 id="trend-heading">Trend</h2>
      <label for="trend-days" class="inline">
        Period
      </label>
      <select id="trend-days" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
        {PERIODS.map((d) => (
          <option key={d} value={String(d)}>
            last {d} days
          </option>
        ))}
      </select>
      {error !== '' && <p role="alert">{error}</p>}
      {trend && <TrendChart code={code} points={trend.points} />}
    </section>
  );
}
