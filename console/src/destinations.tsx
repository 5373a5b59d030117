import { useState } from 'preact/hooks';
import type { Destination, Mapping, Session } from './api.ts';
import { EDITOR_ROLES, call } from './api.ts';
import { ConfirmDelete } from './confirm-delete.tsx';
import { NewButton } from './new-button.tsx';
import { useLoad } from './pages.tsx';
import { RealtimeDelivery } from './realtime-delivery.tsx';
import { DestinationForm } from './destination-form.tsx';
import { DestinationRuns } from './destination-runs.tsx';
import { DataTable } from './data-table.tsx';

/** The kinds the batch runner delivers (`POST /v1/destinations/{code}/runs`); the others bid in real time. */
const BATCH_KINDS = new Set(['file', 'http']);

/** A destination's page address. Example: `destinationHref('exports')` -> `'#/destinations/exports'` */
export function destinationHref(code: string): string {
  return `#/destinations/${encodeURIComponent(code)}`;
}

/** The segments a destination sends, as a list "segment → ID", or "none". */
function Mappings({ segments }: { segments: Mapping[] }) {
  if (segments.length === 0) return <>none</>;
  return (
    <ul class="mappings">
      {segments.map((m) => (
        <li key={m.segment}>
          <a href={`#/segments/${encodeURIComponent(m.segment)}`}>{m.segment}</a> as ID <code>{m.id}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * The tenant's destinations: code (linking to its page), name, kind, ID type and the segments it sends.
 * Editors and admins have "New destination", which opens the form and, once created, its page (without
 * the session, whose role is unknown, there is no "New destination").
 */
export function DestinationList({ session }: { session?: Session }) {
  const { data, error } = useLoad(() => call<{ destinations: Destination[] }>('GET', '/v1/destinations'));
  const canEdit = session !== undefined && EDITOR_ROLES.has(session.role);
  return (
    <>
      <h1>Destinations</h1>
      <NewButton label="New destination" allowed={canEdit}>
        {(close) => (
          <DestinationForm
            onSaved={(d) => {
              location.hash = destinationHref(d.code);
            }}
            onCancel={close}
          />
        )}
      </NewButton>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.destinations.length === 0 && <p>No destinations yet.</p>}
      {data && data.destinations.length > 0 && (
        <DataTable
          caption="The tenant's destinations"
          columns={['Code', 'Name', 'Kind', 'ID type', 'Segments sent (segment as ID)']}
        >
          {data.destinations.map((d) => (
            <tr key={d.code}>
              <td>
                <a href={destinationHref(d.code)}>{d.code}</a>
              </td>
              <td>{d.name}</td>
              <td>{d.kind}</td>
              <td>{d.idType}</td>
              <td>
                <Mappings segments={d.segments} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/**
 * A destination's page: what it is and sends; for editors "Edit" (the form, `PUT`) and "Delete" (after a
 * confirmation); for a batch kind (file, http) its runs with "Run now" and the funnel chart, for a
 * real-time kind the funnels its campaigns count.
 */
export function DestinationPage({ session, code }: { session: Session; code: string }) {
  const { data, error } = useLoad(() =>
    call<Destination>('GET', `/v1/destinations/${encodeURIComponent(code)}`),
  );
  const [changed, setChanged] = useState<Destination | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const canEdit = EDITOR_ROLES.has(session.role);
  const d = changed ?? data;

  return (
    <>
      <h1>Destination {code}</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {d && editing && (
        <DestinationForm
          existing={d}
          onSaved={(next) => {
            setChanged(next);
            setEditing(false);
            setSaved(`Saved destination ${next.code} at ${new Date().toLocaleTimeString('en-GB')}.`);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {d && !editing && (
        <>
          <p role="status">{saved}</p>
          <dl>
            <dt>Name</dt>
            <dd>{d.name}</dd>
            <dt>Kind</dt>
            <dd>{d.kind}</dd>
            <dt>ID type</dt>
            <dd>{d.idType}</dd>
            <dt>Segments sent</dt>
            <dd>
              <Mappings segments={d.segments} />
            </dd>
          </dl>
          {canEdit && (
            <div class="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <ConfirmDelete
                code={d.code}
                remove={() => call('DELETE', `/v1/destinations/${encodeURIComponent(d.code)}`)}
                after="#/destinations"
              >
                Delete destination {d.code}? Its runs stop and it receives nothing more. This cannot be
                undone.
              </ConfirmDelete>
            </div>
          )}
          {BATCH_KINDS.has(d.kind) ? (
            <DestinationRuns session={session} code={code} />
          ) : (
            <RealtimeDelivery code={code} kind={d.kind} />
          )}
        </>
      )}
    </>
  );
}
