/**
 * A chunk of an ID-link file (`POST /v1/identity/links`): rows each asserting that their IDs are one
 * visitor, the way a CRM onboarding match table or Audience Manager's ID synchronization file does.
 * Each row is its `[type, value]` pairs, values in the form they are kept (`checkId`); IDs are learnt
 * at `ts` (the upload's time). Applied in log order like every record (src/qualify/apply-links.ts):
 * a row whose IDs no profile holds makes no visitor; one holder gets the row's free IDs; two or more
 * holders are merged as an event's linking IDs merge them. A deletion rewrites the record without the
 * rows naming the deleted visitor (src/log/visitor-matcher.ts).
 *
 * Example: `{ kind: 'links', tenant: 'acme', ts: 1763640000000, rows: [[['crm', 'C-1001'], ['maid', '6d92078a-8246-4ba4-ae5b-76104861e7dc']]] }`
 */
export interface IdLinksRecord {
  kind: 'links';
  tenant: string;
  ts: number;
  rows: [string, string][][];
}

/** The most rows one `links` record holds (about 1 MB of JSON for three IDs a row). */
export const LINK_ROWS_PER_RECORD = 5_000;

/**
 * What applying one `links` record did, row by row: `linked` rows found a visitor (one profile or
 * several, now one) and left all their IDs on it as far as the caps allow; `merged` counts the profiles
 * merged into another (a row joining three profiles counts 2); `unmatched` rows named no profile's ID
 * (no profile is made from a match table alone).
 *
 * Example: `{ linked: 2, merged: 1, unmatched: 5 }`
 */
export interface LinksOutcome {
  linked: number;
  merged: number;
  unmatched: number;
}
