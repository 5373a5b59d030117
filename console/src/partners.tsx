/** Partners and match rates: the tenant's ID-sync partners, how many profiles each reaches, and adding one. */
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { EDITOR_ROLES, call, messageOf } from './api.ts';
import { MatchRateCell } from './match-rate.tsx';
import type { Partner } from './partner-data.ts';
import { COMPUTE_ROLES } from './partner-data.ts';
import { PartnerForm } from './partner-form.tsx';
import { DataTable } from './data-table.tsx';

/**
 * The partners page: every ID-sync partner (`GET /v1/partners`) with its ID type (the partner's code),
 * sync type, vendor ID and lifetimes, and its match rate (`GET /v1/partners/{code}/match-rate`, which
 * needs the analyst role or above). Editors and admins may add a partner.
 */
export function PartnersPage({ session }: { session: Session }) {
  const [partners, setPartners] = useState<Partner[] | undefined>(undefined);
  const [error, setError] = useState('');
  const canCompute = COMPUTE_ROLES.has(session.role);
  const reload = () =>
    call<{ partners: Partner[] }>('GET', '/v1/partners')
      .then((r) => setPartners(r.partners))
      .catch((e: unknown) => setError(messageOf(e)));
  useEffect(() => void reload(), []);

  return (
    <>
      <h1>Partners and match rates</h1>
      <p>
        An ID-sync partner (an SSP, a DSP, a data provider) keeps its own ID for each visitor; syncing teaches
        us that ID, kept under the ID type named by the partner's code. A partner's{' '}
        <strong>match rate</strong> is the share of the tenant's live profiles that hold an ID from it: the
        share of the audience a destination keyed by that ID type can reach.
      </p>
      {!canCompute && (
        <p class="note">Your role ({session.role}) may read partners; match rates need the analyst role.</p>
      )}
      {error !== '' && <p role="alert">{error}</p>}
      {partners !== undefined && partners.length === 0 && <p>No partners yet.</p>}
      {partners !== undefined && partners.length > 0 && (
        <DataTable
          caption="The tenant's ID-sync partners"
          columns={['Code (ID type)', 'Name', 'Sync', 'Vendor ID', 'Resync / keep IDs', 'Match rate']}
        >
          {partners.map((p) => (
            <tr key={p.code}>
              <th scope="row">{p.code}</th>
              <td>{p.name}</td>
              <td>{p.type}</td>
              <td>{p.vendorId ?? 'none (never synced where GDPR applies)'}</td>
              <td>
                every {p.resyncDays} days / {p.idLifetimeDays} days
              </td>
              <td>{canCompute ? <MatchRateCell code={p.code} /> : 'needs the analyst role'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {EDITOR_ROLES.has(session.role) ? (
        <PartnerForm onAdded={() => void reload()} />
      ) : (
        <p class="note">Adding a partner needs the editor role.</p>
      )}
    </>
  );
}
