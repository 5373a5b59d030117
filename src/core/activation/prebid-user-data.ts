import type { UserDataEntry } from './enrich-bid-request.ts';
import { userDataEntry } from './enrich-bid-request.ts';
import type { MappedSegments } from './map-segments.ts';

/**
 * The `ortb2.user.data` entries for a visitor, for Prebid.js (`pbjs.setConfig({ ortb2: { user: { data } } })`)
 * and Prebid Server (the request's `user.data`): one entry per taxonomy, merging destinations that share
 * one (IDs each once, in order), none for destinations with no segment for the visitor. Entries without
 * a `segtax` come after those with one.
 *
 * Example:
 * ```ts
 * prebidUserData('dmp.example.com', [{ segmentIds: ['483'], segtax: 4 }, { segmentIds: ['512', '483'], segtax: 4 }]);
 * // [{ id: 'opendmp', name: 'dmp.example.com', segment: [{ id: '483' }, { id: '512' }], ext: { segtax: 4 } }]
 * ```
 */
export function prebidUserData(host: string, mapped: readonly MappedSegments[]): UserDataEntry[] {
  const byTaxonomy = new Map<number | undefined, string[]>();
  for (const { segmentIds, segtax } of mapped) {
    if (segmentIds.length === 0) continue;
    const ids = byTaxonomy.get(segtax) ?? [];
    for (const id of segmentIds) if (!ids.includes(id)) ids.push(id);
    byTaxonomy.set(segtax, ids);
  }
  const entries: UserDataEntry[] = [];
  for (const [segtax, ids] of byTaxonomy)
    if (segtax !== undefined) entries.push(userDataEntry(host, ids, segtax));
  const plain = byTaxonomy.get(undefined);
  if (plain !== undefined) entries.push(userDataEntry(host, plain));
  return entries;
}
