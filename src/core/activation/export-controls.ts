import type { Destination } from './destination.ts';

/**
 * Where a segment's data comes from: the labels of its data, and each data source with its labels.
 *
 * Example: `{ labels: ['no-modeling'], sources: [{ code: 'crm', labels: ['no-modeling'] }] }`
 */
export interface SegmentLineage {
  labels: readonly string[];
  sources: readonly { code: string; labels: readonly string[] }[];
}

/**
 * A data label that forbids sending the segment to the destination, the data source that carries it
 * (`''` when the segment has the label but none of its listed sources does) and why.
 *
 * Example: `{ label: 'no-offsite-targeting', source: 'crm', reason: "data source crm is labelled
 *   no-offsite-targeting and destination ssp-eu (openrtb) targets off-site" }`
 */
export interface ExportConflict {
  label: string;
  source: string;
  reason: string;
}

/** Kinds whose data reaches every bidder of an auction: always sharing with third parties. */
const BID_STREAM = new Set<string>(['openrtb', 'prebid']);

/**
 * The labels a destination cannot take, each with what the destination does that the label forbids:
 * - every label in its `restrictions` (declared by the destination);
 * - `no-offsite-targeting`, unless `settings.onsite`: then `no-onsite-targeting` instead;
 * - `no-third-party-sharing` for the bid stream kinds (openrtb, prebid: every bidder receives the data)
 *   and for destinations flagged `settings.thirdParty`;
 * - `no-modeling` for destinations flagged `settings.modeling`;
 * - `no-pii-combination` for destinations flagged `settings.piiCombination`.
 *
 * Example: `refusedLabels(openrtbDestination).get('no-third-party-sharing')` ->
 * `'destination ssp-eu (openrtb) shares with third parties (every bidder receives the bid request)'`
 */
export function refusedLabels(destination: Destination): ReadonlyMap<string, string> {
  const who = `destination ${destination.code} (${destination.kind})`;
  const refused = new Map<string, string>();
  const uses = destination.settings;
  if (uses.onsite === true) refused.set('no-onsite-targeting', `${who} targets on-site`);
  else refused.set('no-offsite-targeting', `${who} targets off-site`);
  if (BID_STREAM.has(destination.kind)) {
    refused.set(
      'no-third-party-sharing',
      `${who} shares with third parties (every bidder receives the data)`,
    );
  } else if (uses.thirdParty === true) {
    refused.set('no-third-party-sharing', `${who} is a third party`);
  }
  if (uses.modeling === true) refused.set('no-modeling', `${who} builds models from the data`);
  if (uses.piiCombination === true) {
    refused.set('no-pii-combination', `${who} combines the data with personal data`);
  }
  for (const label of destination.restrictions) {
    if (!refused.has(label)) refused.set(label, `${who} declares it cannot take data labelled ${label}`);
  }
  return refused;
}

/**
 * Why a segment may not be mapped to a destination: one conflict per label and data source, empty when
 * the mapping is allowed. In source order, then label order.
 *
 * Example:
 * ```ts
 * exportControlConflicts({ labels: ['no-modeling'], sources: [{ code: 'crm', labels: ['no-modeling'] }] },
 *   { ...lookalikeVendor, settings: { modeling: true } });
 * // [{ label: 'no-modeling', source: 'crm',
 * //    reason: 'data source crm is labelled no-modeling and destination lal (http) builds models from the data' }]
 * ```
 */
export function exportControlConflicts(lineage: SegmentLineage, destination: Destination): ExportConflict[] {
  const refused = refusedLabels(destination);
  const conflicts: ExportConflict[] = [];
  const explained = new Set<string>();
  const listed = new Set<string>();
  for (const source of lineage.sources) {
    for (const label of source.labels) {
      const does = refused.get(label);
      if (does === undefined || listed.has(`${source.code}\n${label}`)) continue;
      listed.add(`${source.code}\n${label}`);
      explained.add(label);
      conflicts.push({
        label,
        source: source.code,
        reason: `data source ${source.code} is labelled ${label} and ${does}`,
      });
    }
  }
  for (const label of lineage.labels) {
    const does = refused.get(label);
    if (does === undefined || explained.has(label)) continue;
    conflicts.push({ label, source: '', reason: `the segment's data is labelled ${label} and ${does}` });
  }
  return conflicts;
}
