import type { Trait } from '../catalog/catalog.ts';

/**
 * What a tenant's profiles up to log position `seq` depend on besides the log: per trait, the rule
 * versions in force over `[1, seq]` (clipped to it), the lifetime and the kind. A snapshot taken at
 * `seq` can be used only while these are unchanged: a trait changed with backfill, deleted, or given a
 * longer lifetime since would have given other realisations to the events the snapshot holds. Rule traits
 * whose first version starts after `seq` leave no mark, so saving a new trait does not spoil a snapshot.
 *
 * Example: `traitFingerprints(rules.traitsById.values(), 1200)` -> `{ "7": "rule|30|1-1201:{...}" }`.
 */
export function traitFingerprints(traits: Iterable<Trait>, seq: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const trait of traits) {
    const ranges: string[] = [];
    trait.versions.forEach((version, i) => {
      const from = Math.max(version.fromSeq, 1);
      const until = Math.min(trait.versions[i + 1]?.fromSeq ?? Infinity, seq + 1);
      if (from < until) ranges.push(`${from}-${until}:${JSON.stringify(version.ruleJson)}`);
    });
    if (trait.kind === 'rule' && ranges.length === 0) continue;
    out[String(trait.id)] = `${trait.kind}|${trait.lifetimeDays}|${ranges.join('|')}`;
  }
  return out;
}

/**
 * The first difference between two tenants' fingerprints, as a sentence, or undefined when equal.
 * Example: `fingerprintChange({ '7': 'a' }, {})` -> "trait 7 was deleted or changed".
 */
export function fingerprintChange(
  before: Readonly<Record<string, string>>,
  now: Readonly<Record<string, string>>,
): string | undefined {
  for (const id of Object.keys(before))
    if (before[id] !== now[id]) return `trait ${id} was ${now[id] === undefined ? 'deleted' : 'changed'}`;
  for (const id of Object.keys(now))
    if (before[id] === undefined) return `trait ${id} was added with history`;
  return undefined;
}
