import type { ConsentState, Gvl } from '../consent/index.ts';
import { mayReceive } from '../consent/index.ts';
import type { Destination } from './destination.ts';
import type { MappedSegments } from './map-segments.ts';
import { mapSegments } from './map-segments.ts';

/**
 * What a destination gets of one visitor: its segments under the destination's IDs and the ID it keys
 * on; or the funnel step the visitor is lost at and why. `eligible: false` (no mapped segment) is not a
 * loss: the visitor was never in the destination's audience.
 *
 * Example: `{ ok: false, step: 'consented', reason: 'US Privacy string 1YYN: opted out of sale' }`
 */
export type VisitorActivation =
  | { ok: true; eligible: boolean; mapped: MappedSegments; id?: string; reason: string }
  | { ok: false; step: 'consented' | 'hasId'; reason: string };

/**
 * A visitor's IDs as the profile holds them. Example: `{ uid: 'c-123', ids: { maid: '6d92…', ttd: 'x1' } }`
 */
export interface VisitorProfileIds {
  uid: string;
  ids: Readonly<Record<string, string>>;
}

/**
 * The visitor's ID of the type the destination keys on (`uid`, or a type of `ids`), or undefined.
 *
 * Example: `idFor('maid', { uid: 'c-1', ids: { maid: 'm-9' } })` -> `'m-9'`
 */
export function idFor(idType: string, visitor: VisitorProfileIds): string | undefined {
  if (idType === 'uid') return visitor.uid;
  const id = visitor.ids[idType];
  return id === undefined || id === '' ? undefined : id;
}

/**
 * Decides one visitor for one destination, in funnel order: the segments it may get (none: not
 * eligible), then consent (`mayReceive` with the destination's vendor and purposes: a DMP denies what
 * it cannot prove), then the ID the destination keys on (skipped when `visitor` is not given, as in bid
 * enrichment, where the request itself carries the IDs).
 *
 * Example:
 * ```ts
 * visitorActivation(dsp, new Set(['sports_fans']), decodeConsent({ usp: '1YYN' }), gvl);
 * // { ok: false, step: 'consented', reason: 'US Privacy string 1YYN: opted out of sale' }
 * ```
 */
export function visitorActivation(
  destination: Destination,
  memberOf: ReadonlySet<string>,
  consent: ConsentState,
  gvl: Gvl,
  visitor?: VisitorProfileIds,
): VisitorActivation {
  const mapped = mapSegments(destination, memberOf);
  if (mapped.segmentIds.length === 0) {
    return { ok: true, eligible: false, mapped, reason: `in no segment mapped to ${destination.code}` };
  }
  const decision = mayReceive(consent, destination.consent, gvl);
  if (!decision.allowed) return { ok: false, step: 'consented', reason: decision.reason };
  if (visitor === undefined) return { ok: true, eligible: true, mapped, reason: decision.reason };
  const id = idFor(destination.idType, visitor);
  if (id === undefined) {
    return { ok: false, step: 'hasId', reason: `no ${destination.idType} ID for ${destination.code}` };
  }
  return { ok: true, eligible: true, mapped, id, reason: decision.reason };
}
