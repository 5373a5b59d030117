import type { RegionName, VennRegions } from './venn.ts';
import { REGION_NAMES, regionLabel, unionOf } from './venn.ts';
import { ChartSvg } from './chart-svg.tsx';
import { DataTable } from './data-table.tsx';

/** The diagram's geometry: three circles of radius R, the centres of a triangle. */
const WIDTH = 420;
const HEIGHT = 390;
const R = 110;
const CIRCLES = [
  { cx: 150, cy: 145, fill: '#1a5fb4', nameX: 80, nameY: 22 },
  { cx: 270, cy: 145, fill: '#c64600', nameX: 340, nameY: 22 },
  { cx: 210, cy: 250, fill: '#26a269', nameX: 210, nameY: 382 },
] as const;
/** Where each region's count is written: inside the region, away from the edges. */
const SPOTS: Record<RegionName, { x: number; y: number }> = {
  a: { x: 100, y: 120 },
  b: { x: 320, y: 120 },
  c: { x: 210, y: 315 },
  ab: { x: 210, y: 95 },
  ac: { x: 158, y: 218 },
  bc: { x: 262, y: 218 },
  abc: { x: 210, y: 180 },
};

/**
 * Three segments as a Venn diagram in SVG: three circles and the count of each of the seven regions
 * (`venn.ts` computes them from the overlap). To a screen reader the drawing is one image whose title
 * says every region; the table below it holds the same counts.
 *
 * Example: `<VennDiagram codes={['a', 'b', 'c']} regions={vennRegions(sets)} />`
 */
export function VennDiagram({
  codes,
  regions,
}: {
  codes: readonly [string, string, string];
  regions: VennRegions;
}) {
  const union = unionOf(regions);
  const words = REGION_NAMES.map(
    (name) => `${regionLabel(name, codes)}: ${regions[name].toLocaleString('en')}`,
  );
  const total = `${union.toLocaleString('en')} in at least one`;
  const summary = `Venn diagram of ${codes.join(', ')}: ${words.join('; ')}; ${total}`;
  return (
    <figure class="chart">
      <ChartSvg id="venn" width={WIDTH} height={HEIGHT} summary={summary}>
        {CIRCLES.map((c, i) => (
          <circle
            key={i}
            cx={c.cx}
            cy={c.cy}
            r={R}
            fill={c.fill}
            fill-opacity={0.15}
            stroke={c.fill}
            stroke-width={2}
          />
        ))}
        {CIRCLES.map((c, i) => (
          <text key={i} x={c.nameX} y={c.nameY} text-anchor="middle" font-weight="bold" fill="#1a1a1a">
            {codes[i]}
          </text>
        ))}
        {REGION_NAMES.map((name) => (
          <text
            key={name}
            data-region={name}
            x={SPOTS[name].x}
            y={SPOTS[name].y}
            text-anchor="middle"
            dominant-baseline="middle"
            fill="#1a1a1a"
          >
            {regions[name].toLocaleString('en')}
          </text>
        ))}
      </ChartSvg>
      <figcaption>
        <DataTable id="venn-table" caption="The seven regions of the diagram" columns={['Profiles', 'Count']}>
          {REGION_NAMES.map((name) => (
            <tr key={name} data-region={name}>
              <th scope="row">{regionLabel(name, codes)}</th>
              <td>{regions[name].toLocaleString('en')}</td>
            </tr>
          ))}
          <tr data-region="union">
            <th scope="row">in at least one</th>
            <td>{union.toLocaleString('en')}</td>
          </tr>
        </DataTable>
      </figcaption>
    </figure>
  );
}
