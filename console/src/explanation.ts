/**
 * The words of `GET /v1/profiles/{uid}/explain`: the rule node by node, each with what it saw. Pure, so
 * that it is tested alone; why-visitor.tsx shows it.
 */

/** One node of the explanation as the API answers it (src/core/rules/explain-rule.ts). */
export interface Explanation {
  text: string;
  result: boolean;
  saw?: unknown;
  note?: string;
  children?: Explanation[];
}

/** What a trait reference saw: the kept realisations in its window (times in ms since 1970). */
interface TraitSaw {
  count: number;
  times: number[];
  after: number;
  atOrBefore: number;
}

function isTraitSaw(saw: unknown): saw is TraitSaw {
  return (
    typeof saw === 'object' &&
    saw !== null &&
    typeof (saw as TraitSaw).count === 'number' &&
    Array.isArray((saw as TraitSaw).times)
  );
}

/** "2026-11-19 12:00 UTC" of a time in ms. */
function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What a node saw, in words: a trait's count in its window and its last time, or the field's value.
 * Example: `sawText({ count: 2, times: [a, b], after, atOrBefore })`
 * -> `'2 times in the window, last 2026-11-19 12:00 UTC'`;
 * `sawText('London')` -> `'"London"'`; `sawText(undefined)` -> `''`; `sawText(null)` -> `'no value'`.
 */
export function sawText(saw: unknown): string {
  if (saw === undefined) return '';
  if (saw === null) return 'no value';
  if (isTraitSaw(saw)) {
    const last = saw.times.length === 0 ? '' : `, last ${when(Math.max(...saw.times))}`;
    return `${saw.count} ${saw.count === 1 ? 'time' : 'times'} in the window${last}`;
  }
  if (typeof saw === 'string') return JSON.stringify(saw);
  if (typeof saw === 'number' || typeof saw === 'boolean') return String(saw);
  return JSON.stringify(saw);
}

/**
 * The line of one node: its text, its verdict in words (never a mark alone) and what it saw.
 * Example: `nodeLine({ text: 'visits >= 2', result: false, saw: 1 })` -> `'visits >= 2: false (saw 1)'`.
 */
export function nodeLine(node: Explanation): string {
  const saw = sawText(node.saw);
  const extra = [saw === '' ? '' : `saw ${saw}`, node.note ?? ''].filter((s) => s !== '').join('; ');
  return `${node.text}: ${node.result ? 'true' : 'false'}${extra === '' ? '' : ` (${extra})`}`;
}
