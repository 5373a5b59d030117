import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import { SizeBars } from './size-bars.tsx';
import { DataTable } from './data-table.tsx';

/** What `GET /v1/dashboard` answers (src/api/routes/dashboard-route.ts). */
export interface DashboardAnswer {
  asOf: string;
  eventsPerSecond: number;
  eventsLastMinute: number;
  profiles: number;
  topSegments: {
    total: number;
    sized: boolean;
    segments: { code: string; name: string; size: number }[];
    detail?: string;
  };
  recentChanges: { at: string; user: string; action: string; object: string }[];
}

/** How often the open dashboard asks again (events per second move). */
export const REFRESH_MS = 5_000;

/** `2026-12-07T10:00:00.000Z` -> `2026-12-07 10:00:00 UTC`. */
export function utc(at: string): string {
  return at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** The console page of an object a change names, when it has one: `segment.update` `buyers` -> `#/segments/buyers`. */
function pageOf(action: string, object: string): string | undefined {
  const kind = action.split('.')[0];
  const code = encodeURIComponent(object);
  if (action.endsWith('.delete')) return undefined;
  if (kind === 'segment') return `#/segments/${code}`;
  if (kind === 'trait') return `#/traits/${code}`;
  if (kind === 'destination') return `#/destinations/${code}`;
  if (kind === 'campaign') return `#/campaigns/${code}`;
  return undefined;
}

/**
 * The dashboard, from one call to `GET /v1/dashboard`, asked again every 5 s while the page is open:
 * events per second over the last minute, the tenant's profiles, the ten largest segments (a chart and
 * a table; a role without `compute` sees why there are no sizes) and the latest catalog changes.
 */
export function Dashboard() {
  const [data, setData] = useState<DashboardAnswer | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = () =>
      call<DashboardAnswer>('GET', '/v1/dashboard').then(
        (answer) => {
          if (!live) return;
          setData(answer);
          setError('');
        },
        (e: unknown) => {
          if (live) setError(messageOf(e));
        },
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      <h1>Dashboard</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {data === undefined && error === '' && <p>Loading…</p>}
      {data && (
        <>
          <dl class="figures">
            <div>
              <dt>Events per second</dt>
              <dd id="events-per-second">
                {data.eventsPerSecond.toLocaleString('en', { maximumFractionDigits: 2 })}
              </dd>
              <dd class="hint">
                {data.eventsLastMinute.toLocaleString('en')} events in the last minute (refreshed every 5 s)
              </dd>
            </div>
            <div>
              <dt>Profiles</dt>
              <dd id="profiles">{data.profiles.toLocaleString('en')}</dd>
              <dd class="hint">as of {utc(data.asOf)}</dd>
            </div>
          </dl>
          <TopSegments top={data.topSegments} />
          <RecentChanges changes={data.recentChanges} />
        </>
      )}
    </>
  );
}

function TopSegments({ top }: { top: DashboardAnswer['topSegments'] }) {
  return (
    <section aria-labelledby="top-segments">
      <h2 id="top-segments">Top segments</h2>
      {top.total === 0 && (
        <p>
          No segments yet. <a href="#/segments/new">New segment</a>
        </p>
      )}
      {top.total > 0 && !top.sized && (
        <p>
          {top.total.toLocaleString('en')} segments; no sizes: {top.detail}.{' '}
          <a href="#/segments">All segments</a>
        </p>
      )}
      {top.sized && top.segments.length > 0 && (
        <figure class="chart">
          <SizeBars
            bars={top.segments.map((s) => ({ label: s.name, value: s.size }))}
            id="top-segments-chart"
          />
          <figcaption>
            <DataTable
              caption={
                <>
                  The {top.segments.length} largest of {top.total.toLocaleString('en')} segments, now
                </>
              }
              columns={['Segment', 'Code', 'Size']}
            >
              {top.segments.map((s) => (
                <tr key={s.code}>
                  <td>
                    <a href={`#/segments/${encodeURIComponent(s.code)}`}>{s.name}</a>
                  </td>
                  <td>
                    <code>{s.code}</code>
                  </td>
                  <td class="number">{s.size.toLocaleString('en')}</td>
                </tr>
              ))}
            </DataTable>
          </figcaption>
        </figure>
      )}
    </section>
  );
}

function RecentChanges({ changes }: { changes: DashboardAnswer['recentChanges'] }) {
  return (
    <section aria-labelledby="recent-changes">
      <h2 id="recent-changes">Recent changes</h2>
      {changes.length === 0 && <p>No trait, segment, destination or campaign has changed yet.</p>}
      {changes.length > 0 && (
        <div class="table-scroll">
          <DataTable
            caption="The latest changes to traits, segments, destinations and campaigns, newest first"
            columns={['When', 'Who', 'Change', 'Object']}
          >
            {changes.map((c, i) => {
              const href = pageOf(c.action, c.object);
              return (
                <tr key={`${c.at}-${i}`}>
                  <td>
                    <time dateTime={c.at}>{utc(c.at)}</time>
                  </td>
                  <td>{c.user}</td>
                  <td>{c.action}</td>
                  <td>{href === undefined ? c.object : <a href={href}>{c.object}</a>}</td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
    </section>
  );
}
