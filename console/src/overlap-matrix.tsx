import { percentOf } from './venn.ts';

/** What `POST /v1/audience/overlap` answers: each segment's size and the profiles in each pair. */
export interface Overlap {
  segments: string[];
  sizes: number[];
  overlap: number[][];
  asOf: string;
}

/**
 * The overlap of segments as a table: one row and one column per segment, each cell the profiles in
 * both with their share of the row's segment ("12 (40%)": 40 % of the row's members are also in the
 * column's segment).
 *
 * Example: `<OverlapMatrix overlap={await call<Overlap>('POST', '/v1/audience/overlap', { segments })} />`
 */
export function OverlapMatrix({ overlap }: { overlap: Overlap }) {
  const { segments, sizes } = overlap;
  return (
    // many segments make a wide table: it scrolls on its own (focusable, so the keyboard scrolls it too)
    <div class="table-scroll" role="region" aria-label="Overlap matrix" tabIndex={0}>
      <table id="overlap-matrix">
        <caption>
          Profiles in both segments, and their share of the row's segment (at{' '}
          {new Date(overlap.asOf).toLocaleTimeString('en-GB')})
        </caption>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Size</th>
            {segments.map((code) => (
              <th scope="col" key={code}>
                {code}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {segments.map((row, i) => (
            <tr key={row} data-row={row}>
              <th scope="row">{row}</th>
              <td data-size={row}>{(sizes[i] ?? 0).toLocaleString('en')}</td>
              {segments.map((col, j) => {
                const n = overlap.overlap[i]?.[j] ?? 0;
                return (
                  <td key={col} data-col={col} data-count={n}>
                    {n.toLocaleString('en')} ({percentOf(n, sizes[i] ?? 0)})
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
