/** What the privacy page sends and reads, and how it words the answers (no DOM: unit-tested). */

/** The roles with the API's `manage_privacy` permission (`src/core/roles.ts`); the API checks it again. */
export const PRIVACY_ROLES = new Set(['admin']);

/** A visitor as a request names it: an ID and its type. */
export interface VisitorId {
  idType: string;
  id: string;
}

/**
 * The query that names a visitor by another ID type than uid (the path's uid is then not used), or
 * nothing for a uid, which the path names.
 *
 * Example: `visitorQuery({ idType: 'maid', id: 'AB-12' })` -> `'idType=maid&id=AB-12'`;
 * `visitorQuery({ idType: 'uid', id: 'c-1' })` -> `''`.
 */
export function visitorQuery(v: VisitorId): string {
  return v.idType === 'uid' ? '' : new URLSearchParams({ idType: v.idType, id: v.id }).toString();
}

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

/** "1 segment", "2 segments": a count and its noun. */
function n(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/**
 * An export in words: "Visitor c-1: 2 IDs (uid, maid), 3 trait realisations of 2 traits, 1 segment,
 * 4 raw events, 0 ID-link rows; consent recorded."
 *
 * Example: `exportSummary(data)` -> `'Visitor c-1: 1 ID (uid), ...'`.
 */
export function exportSummary(data: VisitorExport): string {
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
 * A deletion receipt in words, for the requester: what was removed and the request's ID.
 *
 * Example: `receiptText(receipt)` -> `'Deleted visitor c-1: 1 profile, 2 IDs, 0 trait realisations, 1 segment
 * membership; 3 raw events erased from the log. Request 5f0c..., at 2026-11-20T12:00:00.000Z.'`
 */
export function receiptText(r: DeletionReceipt): string {
  const x = r.removed;
  const removed = [
    n(x.profile, 'profile'),
    n(x.ids, 'ID'),
    n(x.realisations, 'trait realisation'),
    n(x.segmentMemberships, 'segment membership'),
  ];
  return `Deleted visitor ${r.uid}: ${removed.join(', ')}; ${n(x.rawEvents, 'raw event')} erased from the log. Request ${r.requestId}, at ${r.at}.`;
}
