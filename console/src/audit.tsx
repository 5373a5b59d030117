import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, Session } from './api.ts';
import { call, messageOf } from './api.ts';

/** How many lines one page of the audit log shows. */
const PAGE_SIZE = 50;
/** The roles with the API's `read_audit` permission (`src/core/roles.ts`); the API checks it again. */
export const AUDIT_ROLES = new Set(['admin']);

/**
 * The audit log: who changed what, a page at a time from `GET /v1/audit` ("More" asks for the page after
 * the last line shown). Only admins may read it: others see a note, and the API's 403 if they ask anyway.
 */
export function AuditPage({ session }: { session: Session }) {
  const allowed = AUDIT_ROLES.has(session.role);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const [loaded, setLoaded] = useState(false);

  const load = async (after: number | null) => {
    setStatus('');
    try {
      const query = `limit=${PAGE_SIZE}${after === null ? '' : `&after=${after}`}`;
      const page = await call<{ entries: AuditEntry[]; next: number | null }>('GET', `/v1/audit?${query}`);
      setEntries((old) => (after === null ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
      setLoaded(true);
    } catch (e) {
      setStatus(messageOf(e));
    }
  };
  useEffect(() => {
    if (allowed) void load(null);
  }, [allowed]);

  return (
    <>
      <h1>Audit log</h1>
      {!allowed && (
        <p>
          The audit log is for admins: your role ({session.role}) may not read it.{' '}
          <button type="button" onClick={() => void load(null)}>
            Ask anyway
          </button>
        </p>
      )}
      <p role="alert" class="status">
        {status}
      </p>
      {loaded && entries.length === 0 && <p>Nothing in the audit log yet.</p>}
      {entries.length > 0 && (
        <table>
          <caption>Audit log, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>
                </td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" onClick={() => void load(next)}>
          More
        </button>
      )}
    </>
  );
}
