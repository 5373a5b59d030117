import { useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { EDITOR_ROLES, call } from './api.ts';
import { ConfirmDelete } from './confirm-delete.tsx';
import { NewButton } from './new-button.tsx';
import type { Campaign } from './campaign-api.ts';
import { campaignHref } from './campaign-api.ts';
import { CampaignForm } from './campaign-form.tsx';
import { CampaignDeliveryReport } from './campaign-report.tsx';
import { CampaignRunButton } from './campaign-run.tsx';
import { destinationHref } from './destinations.tsx';
import { useLoad } from './pages.tsx';
import { DataTable } from './data-table.tsx';

/** A flight as read by people: "1 Nov 2026, 00:00 to 31 Dec 2026, 00:00" in the browser's time zone. */
function flightText(c: Pick<Campaign, 'start' | 'end'>): string {
  const at = (iso: string) =>
    new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return `${at(c.start)} to ${at(c.end)}`;
}

/** Codes as links, comma separated. */
function Links({ codes, href }: { codes: string[]; href: (code: string) => string }) {
  return (
    <>
      {codes.map((code, i) => (
        <span key={code}>
          {i > 0 && ', '}
          <a href={href(code)}>{code}</a>
        </span>
      ))}
    </>
  );
}

const segmentHref = (code: string) => `#/segments/${encodeURIComponent(code)}`;

/**
 * The tenant's campaigns (`GET /v1/campaigns`): code (linking to its page), name, segments, destinations
 * and flight. Editors and admins have "New campaign", which opens the form and, once created, its page.
 */
export function CampaignList({ session }: { session: Session }) {
  const { data, error } = useLoad(() => call<{ campaigns: Campaign[] }>('GET', '/v1/campaigns'));
  const canEdit = EDITOR_ROLES.has(session.role);
  return (
    <>
      <h1>Campaigns</h1>
      <NewButton label="New campaign" allowed={canEdit}>
        {(close) => (
          <CampaignForm
            onSaved={(c) => {
              location.hash = campaignHref(c.code);
            }}
            onCancel={close}
          />
        )}
      </NewButton>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.campaigns.length === 0 && <p>No campaigns yet.</p>}
      {data && data.campaigns.length > 0 && (
        <DataTable
          caption="The tenant's campaigns"
          columns={['Code', 'Name', 'Segments', 'Destinations', 'Flight']}
        >
          {data.campaigns.map((c) => (
            <tr key={c.code}>
              <td>
                <a href={campaignHref(c.code)}>{c.code}</a>
              </td>
              <td>{c.name}</td>
              <td>
                <Links codes={c.segments} href={segmentHref} />
              </td>
              <td>
                <Links codes={c.destinations} href={destinationHref} />
              </td>
              <td>{flightText(c)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/**
 * A campaign's page: its segments, destinations and flight; for editors "Edit" (the form, `PUT`),
 * "Delete" (after a confirmation) and "Run now" (a run of each batch destination); and its delivery
 * report as a table and a funnel chart per destination, read again when the runs end.
 */
export function CampaignPage({ session, code }: { session: Session; code: string }) {
  const { data, error } = useLoad(() => call<Campaign>('GET', `/v1/campaigns/${encodeURIComponent(code)}`));
  const [changed, setChanged] = useState<Campaign | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const [version, setVersion] = useState(0);
  const canEdit = EDITOR_ROLES.has(session.role);
  const c = changed ?? data;

  return (
    <>
      <h1>Campaign {code}</h1>
      {error !== '' && <p role="alert">{error}</p>}
      {c && editing && (
        <CampaignForm
          existing={c}
          onSaved={(next) => {
            setChanged(next);
            setEditing(false);
            setSaved(`Saved campaign ${next.code} at ${new Date().toLocaleTimeString('en-GB')}.`);
            setVersion((v) => v + 1);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {c && !editing && (
        <>
          <p role="status">{saved}</p>
          <dl>
            <dt>Name</dt>
            <dd>{c.name}</dd>
            {c.description !== undefined && (
              <>
                <dt>Description</dt>
                <dd>{c.description}</dd>
              </>
            )}
            <dt>Segments</dt>
            <dd>
              <Links codes={c.segments} href={segmentHref} />
            </dd>
            <dt>Destinations</dt>
            <dd>
              <Links codes={c.destinations} href={destinationHref} />
            </dd>
            <dt>Flight</dt>
            <dd>{flightText(c)}</dd>
          </dl>
          {canEdit && (
            <div class="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <ConfirmDelete
                code={c.code}
                remove={() => call('DELETE', `/v1/campaigns/${encodeURIComponent(c.code)}`)}
                after="#/campaigns"
              >
                Delete campaign {c.code} and its real-time counts? This cannot be undone.
              </ConfirmDelete>
            </div>
          )}
          {canEdit && <CampaignRunButton code={c.code} onEnded={() => setVersion((v) => v + 1)} />}
          <CampaignDeliveryReport code={c.code} version={version} />
        </>
      )}
    </>
  );
}
