/** Privacy requests: opt a visitor out, export everything held about it, or delete it (admins). */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { call, messageOf } from './api.ts';
import { ExportResult } from './privacy-results.tsx';
import type { DeletionReceipt, OptOutAnswer, VisitorExport, VisitorId } from './privacy-text.ts';
import { PRIVACY_ROLES, receiptText, visitorQuery } from './privacy-text.ts';

/** "uid 'c-1'": how the page names a visitor. */
function named(v: VisitorId): string {
  return `${v.idType} '${v.id}'`;
}

/**
 * The privacy requests page (admins only: the `manage_privacy` permission): a visitor's ID and ID type,
 * then Opt out (`POST /v1/optouts`: no more collection, the profile deleted), Export
 * (`GET /v1/profiles/{uid}/export`: a summary and the JSON to download) or Delete
 * (`DELETE /v1/profiles/{uid}`, after a confirmation that names the visitor; answers a receipt).
 */
export function PrivacyPage({ session }: { session: Session }) {
  if (!PRIVACY_ROLES.has(session.role)) {
    return (
      <>
        <h1>Privacy requests</h1>
        <p>
          Privacy requests (opt-out, export of everything held about a visitor, deletion) need the admin role;
          your role is {session.role}. Ask an admin of the tenant to make the request.
        </p>
      </>
    );
  }
  return <PrivacyRequests />;
}

/** The admin's form and the answer of the last request. */
function PrivacyRequests() {
  const [idType, setIdType] = useState('uid');
  const [id, setId] = useState('');
  const [confirming, setConfirming] = useState<VisitorId | undefined>(undefined);
  const [exported, setExported] = useState<VisitorExport | undefined>(undefined);
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  // before the browser paints: the heading never shows without the focus
  useLayoutEffect(() => confirmHeading.current?.focus(), [confirming]);

  const visitor = (): VisitorId | undefined => {
    if (id.trim() === '') {
      setError('Enter the visitor ID first.');
      return undefined;
    }
    return { idType: idType.trim() || 'uid', id: id.trim() };
  };
  const run = async (request: () => Promise<void>) => {
    setError('');
    setResult('');
    setExported(undefined);
    try {
      await request();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const optOut = (v: VisitorId) =>
    run(async () => {
      const a = await call<OptOutAnswer>('POST', '/v1/optouts', v);
      const first = a.new ? 'is now opted out' : 'was already opted out';
      const deleted = a.deletion === null ? 'no profile held it.' : receiptText(a.deletion);
      setResult(`Visitor ${named(v)} ${first}: collection refuses it from now on; ${deleted}`);
    });
  const exportIt = (v: VisitorId) =>
    run(async () => {
      const path = `/v1/profiles/${encodeURIComponent(v.id)}/export?${visitorQuery(v)}`;
      setExported(await call<VisitorExport>('GET', path));
    });
  const remove = (v: VisitorId) =>
    run(async () => {
      setConfirming(undefined);
      const path = `/v1/profiles/${encodeURIComponent(v.id)}?${visitorQuery(v)}`;
      setResult(receiptText(await call<DeletionReceipt>('DELETE', path)));
    });

  const act = (action: (v: VisitorId) => void) => () => {
    const v = visitor();
    if (v !== undefined) action(v);
  };
  return (
    <>
      <h1>Privacy requests</h1>
      <p>
        Answer a visitor's request by one of its IDs. <strong>Opt out</strong> stops collection for the ID and
        deletes the profile holding it; <strong>Export</strong> gives everything held about the visitor as
        JSON; <strong>Delete</strong> removes the profile and every trace of it, in every store. Each is kept
        in the audit log without the ID in clear.
      </p>
      <form onSubmit={(e) => e.preventDefault()} aria-label="Visitor">
        <label for="privacy-id-type">ID type</label>
        <input
          id="privacy-id-type"
          list="privacy-id-types"
          value={idType}
          aria-describedby="privacy-id-type-help"
          onInput={(e) => setIdType(e.currentTarget.value)}
        />
        <datalist id="privacy-id-types">
          {['uid', 'maid', 'email_sha256', 'phone_sha256', 'crm'].map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <p id="privacy-id-type-help" class="note">
          uid (our visitor ID), maid, email_sha256, phone_sha256, crm, or a partner's code.
        </p>
        <label for="privacy-id">Visitor ID</label>
        <input id="privacy-id" value={id} required onInput={(e) => setId(e.currentTarget.value)} />
        <div>
          <button type="button" onClick={act((v) => void optOut(v))}>
            Opt out
          </button>
          <button type="button" onClick={act((v) => void exportIt(v))}>
            Export
          </button>
          <button type="button" onClick={act(setConfirming)}>
            Delete
          </button>
        </div>
      </form>
      {confirming !== undefined && (
        <section aria-labelledby="confirm-heading" class="confirm">
          <h2 id="confirm-heading" tabIndex={-1} ref={confirmHeading}>
            Delete visitor {named(confirming)}?
          </h2>
          <p>
            The profile of {named(confirming)} and every trace of it (IDs, traits, segment memberships, raw
            events) will be deleted for good. This cannot be undone.
          </p>
          <button type="button" onClick={() => void remove(confirming)}>
            Delete {named(confirming)} for good
          </button>
          <button type="button" onClick={() => setConfirming(undefined)}>
            Cancel
          </button>
        </section>
      )}
      {error !== '' && <p role="alert">{error}</p>}
      {result !== '' && (
        <p id="privacy-result" role="status">
          {result}
        </p>
      )}
      {exported !== undefined && <ExportResult data={exported} />}
    </>
  );
}
