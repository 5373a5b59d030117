import type { Trait } from '../catalog/catalog.ts';

/** The trait kinds a file may realise: they have no rule. */
export const ONBOARDED_KINDS: ReadonlySet<string> = new Set(['onboarded', 'third-party']);

/**
 * The onboarded and third-party traits of one data source, by code and by integration code (a code
 * wins over another trait's integration code), and their ids.
 *
 * Example: `const s = sourceTraits(traits, 'iab-provider'); s.byName.get('iab_48')` -> `1203`; `s.byName.get('48')` -> `1203`.
 */
export function sourceTraits(
  traits: Iterable<Trait>,
  source: string,
): { byName: Map<string, number>; ids: number[] } {
  const byName = new Map<string, number>();
  const ids: number[] = [];
  const mine = [...traits].filter((t) => t.source === source && ONBOARDED_KINDS.has(t.kind));
  for (const t of mine) {
    if (t.integrationCode !== undefined && t.integrationCode !== '') byName.set(t.integrationCode, t.id);
  }
  for (const t of mine) {
    byName.set(t.code, t.id);
    ids.push(t.id);
  }
  return { byName, ids: ids.sort((a, b) => a - b) };
}
