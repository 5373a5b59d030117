import { useEffect, useState } from 'preact/hooks';
import type { Segment, Size } from './api.ts';
import { call, messageOf } from './api.ts';

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
        <table>
          <caption>The tenant's segments</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      )}
    </>
  );
}

/** A segment with its exact size now, or why there is none (a viewer may not compute sizes). */
interface Sized {
  segment: Segment;
  size: string;
}

/**
 * The dashboard: how many profiles have visited (the size of `visits >= 1`) and every segment with its
 * size. Sizes need the `compute` permission: a viewer sees the API's reason instead.
 */
export function Dashboard() {
  const { data, error } = useLoad(async () => {
    const profiles = await call<Size>('POST', '/v1/audience/size', { rule: 'visits >= 1' }).then(
      (s) => s.size.toLocaleString('en'),
      (e: unknown) => messageOf(e),
    );
    const { segments } = await call<{ segments: Segment[] }>('GET', '/v1/segments');
    const sized: Sized[] = await Promise.all(
      segments.map((segment) =>
        call<Size>('GET', `/v1/segments/${encodeURIComponent(segment.code)}/size`).then(
          (s) => ({ segment, size: s.size.toLocaleString('en') }),
          (e: unknown) => ({ segment, size: messageOf(e) }),
        ),
      ),
    );
    return { profiles, sized };
  });
  return (
    <>
      <h1>Dashboard</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {data && (
        <>
          <p>
            Profiles with at least one visit: <strong>{data.profiles}</strong>
          </p>
          <table>
            <caption>Segments and their sizes</caption>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {data.sized.map(({ segment, size }) => (
                <tr key={segment.code}>
                  <td>
                    <a href={`#/segments/${encodeURIComponent(segment.code)}`}>{segment.name}</a>
                  </td>
                  <td>{size}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
