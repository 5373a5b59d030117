import { useEffect, useRef, useState } from 'preact/hooks';
import type { Segment, Size } from './api.ts';
import { call, messageOf } from './api.ts';
import { useLoad } from './pages.tsx';
import type { Overlap } from './overlap-matrix.tsx';
import { OverlapMatrix } from './overlap-matrix.tsx';
import { VennDiagram } from './venn-diagram.tsx';
import type { VennRegions } from './venn.ts';
import { allThree, vennRegions } from './venn.ts';

/** The overlap and, for three segments, the Venn regions (with the triple from `POST /v1/audience/size`). */
interface Compared {
  overlap: Overlap;
  venn?: { codes: [string, string, string]; regions: VennRegions };
}

/** Asks the overlap of `codes` and, when there are three, the triple intersection for the Venn diagram. */
async function compare(codes: string[]): Promise<Compared> {
  const overlap = await call<Overlap>('POST', '/v1/audience/overlap', { segments: codes });
  const [a, b, c] = codes;
  if (codes.length !== 3 || a === undefined || b === undefined || c === undefined) return { overlap };
  const three: [string, string, string] = [a, b, c];
  const triple = await call<Size>('POST', '/v1/audience/size', { rule: allThree(three) });
  const pair = (i: number, j: number) => overlap.overlap[i]?.[j] ?? 0;
  const regions = vennRegions({
    sizes: [overlap.sizes[0] ?? 0, overlap.sizes[1] ?? 0, overlap.sizes[2] ?? 0],
    ab: pair(0, 1),
    ac: pair(0, 2),
    bc: pair(1, 2),
    abc: triple.size,
  });
  return { overlap, venn: { codes: three, regions } };
}

/**
 * "Overlap with other segments": checkboxes of the tenant's other segments; the overlap of this segment
 * with the ones checked as a matrix, and as a Venn diagram when exactly two are checked.
 *
 * Example: `<OverlapSection code="london_pricing" />`
 */
export function OverlapSection({ code }: { code: string }) {
  const list = useLoad(() => call<{ segments: Segment[] }>('GET', '/v1/segments'));
  const [chosen, setChosen] = useState<string[]>([]);
  const [compared, setCompared] = useState<Compared | undefined>(undefined);
  const [error, setError] = useState('');
  const asked = useRef(0);
  const others = (list.data?.segments ?? []).filter((s) => s.code !== code);

  useEffect(() => {
    const n = ++asked.current;
    setError('');
    compare([code, ...chosen])
      .then((c) => n === asked.current && setCompared(c))
      .catch((e: unknown) => {
        if (n !== asked.current) return;
        setCompared(undefined);
        setError(messageOf(e));
      });
  }, [code, chosen.join('\n')]);

  const toggle = (other: string, on: boolean) =>
    setChosen((now) =>
      on
        ? others.map((s) => s.code).filter((c) => c === other || now.includes(c))
        : now.filter((c) => c !== other),
    );

  return (
    <section aria-labelledby="overlap-heading">
      <h2 id="overlap-heading">Overlap with other segments</h2>
      {list.error !== '' && <p role="alert">{list.error}</p>}
      {list.data && others.length === 0 && <p>There is no other segment to compare with yet.</p>}
      {others.length > 0 && (
        <fieldset class="choices">
          <legend>Compare {code} with</legend>
          {others.map((s) => (
            <label key={s.code} class="choice">
              <input
                type="checkbox"
                checked={chosen.includes(s.code)}
                onChange={(e) => toggle(s.code, e.currentTarget.checked)}
              />{' '}
              {s.name} ({s.code})
            </label>
          ))}
        </fieldset>
      )}
      {error !== '' && <p role="alert">{error}</p>}
      {compared && <OverlapMatrix overlap={compared.overlap} />}
      {compared?.venn ? (
        <VennDiagram codes={compared.venn.codes} regions={compared.venn.regions} />
      ) : (
        <p>Check exactly two other segments to see the three as a Venn diagram.</p>
      )}
    </section>
  );
}
