import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import type { TaxonomyView } from './taxonomy-api.ts';
import { countOf } from './taxonomy-api.ts';
import { FolderTree, IabTree } from './taxonomy-tree.tsx';

/** How long the search waits after the last key before asking the API. */
export const SEARCH_DELAY_MS = 250;
/** The longest search the API takes (`GET /v1/taxonomy?q=`). */
const QUERY_LIMIT = 200;

/** The search typed, settled: it follows `text` once `text` has not changed for `delayMs`. */
function useSettled(text: string, delayMs: number): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs]);
  return settled;
}

/**
 * The taxonomy browser: the tenant's own folders (each trait linking to its editor) and the IAB Audience
 * Taxonomy 1.1, both from `GET /v1/taxonomy`. "Search the taxonomy" asks the API again ~250 ms after the
 * last key (`?q=`), shows only what matches (the way down to it opened) and says how many matched.
 */
export function TaxonomyPage() {
  const [text, setText] = useState('');
  const q = useSettled(text.trim(), SEARCH_DELAY_MS);
  const [view, setView] = useState<TaxonomyView | undefined>(undefined);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(true);
  useEffect(() => {
    let current = true;
    setBusy(true);
    call<TaxonomyView>('GET', `/v1/taxonomy?q=${encodeURIComponent(q)}`)
      .then((v) => {
        if (!current) return;
        setView(v);
        setError('');
      })
      .catch((e: unknown) => current && setError(messageOf(e)))
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [q]);

  return (
    <>
      <h1>Taxonomy</h1>
      <p>
        <label for="taxonomy-search">Search the taxonomy</label>{' '}
        <input
          id="taxonomy-search"
          type="search"
          maxLength={QUERY_LIMIT}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </p>
      <p role="status">{statusOf(view, busy)}</p>
      {error !== '' && <p role="alert">{error}</p>}
      {view && (
        <div key={view.q}>
          <section aria-labelledby="own-folders">
            <h2 id="own-folders">Your folders</h2>
            <FolderTree view={view} />
          </section>
          <section aria-labelledby="iab-taxonomy">
            <h2 id="iab-taxonomy">IAB Audience Taxonomy 1.1</h2>
            <p>
              {view.iab.name}: {countOf(view.iab.total, 'node')}
              {view.q === '' ? ', by parent; open a node to see its children.' : '.'}
            </p>
            <IabTree view={view} />
          </section>
        </div>
      )}
    </>
  );
}

/** What the status line says: loading, or how many matched the search. */
function statusOf(view: TaxonomyView | undefined, busy: boolean): string {
  if (view === undefined) return busy ? 'Loading…' : '';
  if (busy) return 'Searching…';
  if (view.q === '') return '';
  return `${countOf(view.matches, 'match', 'matches')} for “${view.q}”.`;
}
