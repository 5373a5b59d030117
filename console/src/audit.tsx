import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, Session } from './api.ts';
import { call, messageOf } from './api.ts';
import type { AuditFilters } from './audit-query.ts';
import { NO_FILTERS, auditQuery } from './audit-query.ts';
import { DataTable } from './data-table.tsx';
import { utc } from './dashboard.tsx';

/** How many lines one page of the audit log shows. */
const PAGE_SIZE = 50;
/** The roles with the API's `read_audit` permission (`src/core/roles.ts`); the API checks it again. */
export const AUDIT_ROLES = new Set(['admin']);

/** One filter: a visible label, the input, and a hint tied to it. */
function Filter(props: {
  id: keyof AuditFilters;
  label: string;
  hint: string;
  type?: 'date';
  filters: AuditFilters;
  onFilters: (f: AuditFilters) => void;
}) {
  const { id, label, hint, type, filters, onFilters } = props;
  const onInput = (e: { currentTarget: HTMLInputElement }) =>
    onFilters({ ...filters, [id]: e.currentTarget.value });
  return (
    <div>
      <label for={`audit-${id}`}>{label}</label>
      {type === 'date' ? (
        <input
          id={`audit-${id}`}
          type="date"
          value={filters[id]}
          aria-describedby={`audit-${id}-hint`}
          onInput={onInput}
        />
      ) : (
        <input
          id={`audit-${id}`}
          value={filters[id]}
          aria-describedby={`audit-${id}-hint`}
          onInput={onInput}
        />
      )}
      <p class="hint" id={`audit-${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

/**
 * The audit log, newest first, a page at a time from `GET /v1/audit?order=desc` ("Older" asks for the
 * page before the last line shown), filtered by user, action, object and days. Only admins may read it:
 * others see a note, and the API's 403 if they ask anyway.
 */
export function AuditPage({ session }: { session: Session }) {
  const allowed = AUDIT_ROLES.has(session.role);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [shown, setShown] = useState<AuditFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const [loaded, setLoaded] = useState(false);

  const load = async (using: AuditFilters, before: number | null) => {
    setStatus('');
    try {
      const query = auditQuery(using, PAGE_SIZE, before);
      const page = await call<{ entries: AuditEntry[]; next: number | null }>('GET', `/v1/audit?${query}`);
      setEntries((old) => (before === null ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
      setShown(using);
      setLoaded(true);
    } catch (e) {
      setStatus(messageOf(e));
    }
  };
  useEffect(() => {
    if (allowed) void load(NO_FILTERS, null);
  }, [allowed]);

  const filtered = Object.values(shown).some((v) => v !== '');
  return (
    <>
      <h1>Audit log</h1>
      {!allowed && (
        <p>
          The audit log is for admins: your role ({session.role}) may not read it.{' '}
          <button type="button" onClick={() => void load(NO_FILTERS, null)}>
            Ask anyway
          </button>
        </p>
      )}
      {allowed && (
        <form
          class="filters"
          aria-label="Filter the audit log"
          onSubmit={(e) => {
            e.preventDefault();
            void load(filters, null);
          }}
        >
          <Filter
            id="user"
            label="User"
            hint="an email or API key id"
            filters={filters}
            onFilters={setFilters}
          />
          <Filter
            id="action"
            label="Action"
            hint="segment.create, or segment for all"
            filters={filters}
            onFilters={setFilters}
          />
          <Filter id="object" label="Object" hint="a code: buyers" filters={filters} onFilters={setFilters} />
          <Filter
            id="from"
            label="From"
            hint="from this day (UTC)"
            type="date"
            filters={filters}
            onFilters={setFilters}
          />
          <Filter
            id="to"
            label="To"
            hint="to this day (UTC)"
            type="date"
            filters={filters}
            onFilters={setFilters}
          />
          <div>
            <button type="submit">Filter</button>
            <button
              type="button"
              onClick={() => {
                setFilters(NO_FILTERS);
                void load(NO_FILTERS, null);
              }}
            >
              Clear
            </button>
          </div>
        </form>
      )}
      <p role="alert" class="status">
        {status}
      </p>
      {loaded && entries.length === 0 && (
        <p>
          {filtered ? 'No line of the audit log matches these filters.' : 'Nothing in the audit log yet.'}
        </p>
      )}
      {entries.length > 0 && (
        <div class="table-scroll">
          <DataTable
            caption={<>Audit log, newest first{filtered ? ' (filtered)' : ''}</>}
            columns={['Time', 'Actor', 'Action', 'Target']}
          >
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{utc(e.at)}</time>
                </td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
      {next !== null && (
        <button type="button" onClick={() => void load(shown, next)}>
          Older
        </button>
      )}
    </>
  );
}
