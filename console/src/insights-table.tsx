import { call } from './api.ts';
import { useLoad } from './pages.tsx';
import { percentOf } from './venn.ts';
import { DataTable } from './data-table.tsx';

/** One trait of `GET /v1/segments/{code}/insights`: how over-represented it is in the segment. */
export interface TraitInsight {
  trait: string;
  /** members of the segment holding the trait */
  count: number;
  /** count / the segment's size */
  share: number;
  /** holders of the trait / all live profiles */
  populationShare: number;
  /** share / populationShare * 100: 100 is as common as in all profiles */
  index: number;
}

/** What `GET /v1/segments/{code}/insights` answers. */
interface Insights {
  segment: string;
  size: number;
  minCount: number;
  asOf: string;
  traits: TraitInsight[];
}

/** How many traits the table lists. */
const LIMIT = 20;

/**
 * "Insights": the traits most over-represented in the segment against all profiles, as the API ranks
 * them (index 100: as common as everywhere; 200: twice as common). Traits held by fewer members than the
 * API's `minCount` are not shown, so that small groups cannot be singled out.
 *
 * Example: `<InsightsTable code="london_pricing" />`
 */
export function InsightsTable({ code }: { code: string }) {
  const { data, error } = useLoad(() =>
    call<Insights>('GET', `/v1/segments/${encodeURIComponent(code)}/insights?limit=${LIMIT}`),
  );
  return (
    <section aria-labelledby="insights-heading">
      <h2 id="insights-heading">Insights</h2>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.traits.length === 0 && (
        <p>
          No trait is held by at least {data.minCount.toLocaleString('en')} of the segment's{' '}
          {data.size.toLocaleString('en')} members: smaller groups are not shown.
        </p>
      )}
      {data && data.traits.length > 0 && (
        <DataTable
          id="insights-table"
          caption={
            <>
              Traits most over-represented in {code} ({data.size.toLocaleString('en')} members) against all
              profiles; index 100 is as common as everywhere
            </>
          }
          columns={['Trait', 'Members with it', 'Share of the segment', 'Share of all profiles', 'Index']}
        >
          {data.traits.map((t) => (
            <tr key={t.trait} data-trait={t.trait}>
              <th scope="row">{t.trait}</th>
              <td>{t.count.toLocaleString('en')}</td>
              <td>{percentOf(t.share, 1)}</td>
              <td>{percentOf(t.populationShare, 1)}</td>
              <td>{Math.round(t.index).toLocaleString('en')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
