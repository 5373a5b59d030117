import { useEffect, useState } from 'preact/hooks';
import type { Segment } from './api.ts';
import { call, messageOf } from './api.ts';
import { DataTable } from './data-table.tsx';

/** A list loaded once from the API, with the error if the call failed. */
export function useLoad<T>(load: () => Promise<T>): { data?: T; error: string } {
  const [state, setState] = useState<{ data?: T; error: string }>({ error: '' });
  useEffect(() => {
    load()
      .then((data) => setState({ data, error: '' }))
      .catch((e: unknown) => setState({ error: messageOf(e) }));
  }, []);
  return state;
}

/** The tenant's segments, each linking to its editor. */
export function SegmentList() {
  const { data, error } = useLoad(() => call<{ segments: Segment[] }>('GET', '/v1/segments'));
  return (
    <>
      <h1>Segments</h1>
      <p>
        <a href="#/segments/new">New segment</a>
      </p>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.segments.length === 0 && <p>No segments yet.</p>}
      {data && data.segments.length > 0 && (
        <DataTable caption="The tenant's segments" columns={['Code', 'Name', 'Rule']}>
          {data.segments.map((s) => (
            <tr key={s.code}>
              <td>
                <a href={`#/segments/${encodeURIComponent(s.code)}`}>{s.code}</a>
              </td>
              <td>{s.name}</td>
              <td>
                <code>{s.rule}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
