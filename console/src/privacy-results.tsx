import { useEffect, useState } from 'preact/hooks';

/** What `GET /v1/profiles/{uid}/export` answers: everything held about a visitor. */
export interface VisitorExport {
  exportedAt: string;
  profile: { uid: string; ids: Record<string, string>; traits: unknown[]; segments: string[] };
  realisations: { trait: string; times: (string | null)[] }[];
  consent: unknown;
  events: unknown[];
  idLinks: unknown[];
}

/** What `DELETE /v1/profiles/{uid}` answers (also inside an opt-out's answer when a profile was deleted). */
export interface DeletionReceipt {
  requestId: string;
  uid: string;
  deleted: boolean;
  removed: {
    profile: number;
    ids: number;
    realisations: number;
    segmentMemberships: number;
    rawEvents: number;
  };
  at: string;
}

/** What `POST /v1/optouts` answers. */
export interface OptOutAnswer {
  optedOut: boolean;
  new: boolean;
  profileDeleted: boolean;
  deletion: DeletionReceipt | null;
}

/**
 * An export in words: "Visitor c-1: 2 IDs (uid, maid), 3 trait realisations of 2 traits, 1 segment,
 * 4 raw events, 0 ID-link rows; consent recorded."
 *
 * Example: `exportSummary(data)` -> `'Visitor c-1: 1 ID (uid), ...'`.
 */
export function exportSummary(data: VisitorExport): string {
  const n = (count: number, one: string, many = `${one}s`) =>
    `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
  const types = Object.keys(data.profile.ids);
  const times = data.realisations.reduce((sum, r) => sum + r.times.length, 0);
  return [
    `Visitor ${data.profile.uid}: ${n(types.length, 'ID')} (${types.join(', ') || 'none'})`,
    `${n(times, 'trait realisation')} of ${n(data.realisations.length, 'trait')}`,
    n(data.profile.segments.length, 'segment'),
    n(data.events.length, 'raw event'),
    `${n(data.idLinks.length, 'ID-link row')}; consent ${data.consent === null ? 'not recorded' : 'recorded'}.`,
  ].join(', ');
}

/**
 * An export: its summary and a link that downloads the whole JSON (a Blob URL, freed when the export is
 * replaced or the page left).
 */
export function ExportResult({ data }: { data: VisitorExport }) {
  const [href, setHref] = useState('');
  const json = JSON.stringify(data, null, 2);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [json]);
  const name = `visitor-${data.profile.uid.replace(/[^A-Za-z0-9_.-]/g, '_')}-export.json`;
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p id="export-summary">{exportSummary(data)}</p>
      {href !== '' && (
        <p>
          <a href={href} download={name}>
            Download the export ({name}, {Math.ceil(json.length / 1024).toLocaleString('en')} KB)
          </a>
        </p>
      )}
    </section>
  );
}

/** A deletion receipt in words, for the requester: what was removed and the request's ID. */
export function receiptText(r: DeletionReceipt): string {
  const x = r.removed;
  return `Deleted visitor ${r.uid}: ${x.profile} profile, ${x.ids} IDs, ${x.realisations} trait realisations, ${x.segmentMemberships} segment memberships, ${x.rawEvents} raw events erased from the log. Request ${r.requestId}, at ${r.at}.`;
}
