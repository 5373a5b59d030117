import type { BidRequest } from './read-bid-request.ts';

/**
 * One OpenRTB `Data` object (`user.data[]`, also Prebid's `ortb2.user.data[]`): our segments for the
 * visitor under the destination's IDs; `ext.segtax` names their taxonomy (4 = IAB Audience Taxonomy 1.1,
 * for Seller Defined Audiences).
 *
 * Example: `{ id: 'opendmp', name: 'dmp.example.com', segment: [{ id: '483' }], ext: { segtax: 4 } }`
 */
export interface UserDataEntry {
  id: 'opendmp';
  name: string;
  segment: { id: string }[];
  ext?: { segtax: number };
}

/**
 * The `user.data` entry for a visitor's segment IDs; `ext` only when a `segtax` is given.
 *
 * Example: `userDataEntry('dmp.example.com', ['483'], 4)` ->
 * `{ id: 'opendmp', name: 'dmp.example.com', segment: [{ id: '483' }], ext: { segtax: 4 } }`
 */
export function userDataEntry(host: string, segmentIds: readonly string[], segtax?: number): UserDataEntry {
  const entry: UserDataEntry = { id: 'opendmp', name: host, segment: segmentIds.map((id) => ({ id })) };
  if (segtax !== undefined) entry.ext = { segtax };
  return entry;
}

/**
 * A deep copy of the bid request with `entry` appended to `user.data` (creating `user` and `data` when
 * missing) and nothing else changed; the request given is not touched. Works alike for 2.5 and 2.6:
 * `user.data` has the same place in both. An `opendmp` entry already there is kept (the request was
 * enriched before): the caller decides whether to enrich again.
 *
 * Example:
 * ```ts
 * enrichBidRequest({ id: 'r1', imp: [{ id: '1' }] }, userDataEntry('dmp.example.com', ['483'], 4));
 * // { id: 'r1', imp: [{ id: '1' }], user: { data: [{ id: 'opendmp', name: 'dmp.example.com',
 * //   segment: [{ id: '483' }], ext: { segtax: 4 } }] } }
 * ```
 */
export function enrichBidRequest(request: BidRequest, entry: UserDataEntry): BidRequest {
  const copy = structuredClone(request);
  const user = (copy.user ??= {});
  (user.data ??= []).push(structuredClone(entry));
  return copy;
}
