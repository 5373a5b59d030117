import type { ReadonlyBitmap } from './bitmap.ts';
import type { TraitInsight } from './audience-index.ts';

/**
 * The index of each trait in a segment against the population: count in the segment, share of the
 * segment, share of the live population, and share / population share * 100. Traits whose count in the
 * segment is under `minCount` (or that no live profile holds) are left out; highest index first, ties
 * by count then trait id.
 *
 * Example: `traitInsights(segment, [1, 2], 50, (id) => days.holders(id), live)` ->
 * `[{ traitId: 2, count: 300, share: 0.3, populationShare: 0.1, index: 300 }]`.
 */
export function traitInsights(
  segment: ReadonlyBitmap,
  traitIds: readonly number[],
  minCount: number,
  holders: (traitId: number) => ReadonlyBitmap,
  live: ReadonlyBitmap,
): TraitInsight[] {
  const segmentSize = segment.size;
  const population = live.size;
  const out: TraitInsight[] = [];
  if (population === 0 || (segmentSize === 0 && minCount > 0)) return out;
  for (const traitId of traitIds) {
    const held = holders(traitId);
    const count = segmentSize === 0 ? 0 : held.andCardinality(segment);
    const holdersLive = held.andCardinality(live);
    if (count < minCount || (count === 0 && minCount > 0) || holdersLive === 0) continue;
    const populationShare = holdersLive / population;
    const share = segmentSize === 0 ? 0 : count / segmentSize;
    out.push({
      traitId,
      count,
      share,
      populationShare,
      index: (share / populationShare) * 100,
      holders: holdersLive,
    });
  }
  return out.sort((a, b) => b.index - a.index || b.count - a.count || a.traitId - b.traitId);
}
