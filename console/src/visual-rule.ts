/**
 * The visual mode's model of a rule: a list of conditions joined by one `and` or `or`. It covers the
 * common shapes only (a trait with an optional "in the last N days", the city, a least number of visits);
 * a rule with anything else (not, parentheses, other paths, mixed and/or) has no visual form and is edited
 * in the code view. `parseVisual(printVisual(x))` gives `x` back, and printing writes the rule language
 * (docs/rule-language.md) exactly as the code view shows it.
 */

/** One condition of the visual mode. */
export type Condition =
  | { kind: 'trait'; code: string; days: number | undefined }
  | { kind: 'city'; city: string }
  | { kind: 'visits'; least: number };

/** The visual form of a rule: its conditions and the word that joins them. */
export interface VisualRule {
  join: 'and' | 'or';
  conditions: Condition[];
}

const TRAIT = /^trait:([A-Za-z0-9_.-]+)(?:\[\s*within\s+(\d+)d\s*\])?$/i;
const CITY = /^geo\.city\s*==\s*"((?:[^"\\]|\\.)*)"$/;
const VISITS = /^visits\s*>=\s*(\d+)$/;

/** Reads one condition, or `undefined` when it is not one of the visual shapes. */
export function parseCondition(text: string): Condition | undefined {
  const t = text.trim();
  const trait = TRAIT.exec(t);
  if (trait) return { kind: 'trait', code: trait[1] ?? '', days: trait[2] ? Number(trait[2]) : undefined };
  const city = CITY.exec(t);
  if (city) return { kind: 'city', city: (city[1] ?? '').replace(/\\(.)/g, '$1') };
  const visits = VISITS.exec(t);
  if (visits) return { kind: 'visits', least: Number(visits[1]) };
  return undefined;
}

/** Splits a rule at `and`/`or` outside strings: the parts and the joining words, in order. */
function split(rule: string): { parts: string[]; joins: string[] } {
  const parts: string[] = [];
  const joins: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < rule.length; i++) {
    const c = rule[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(c ?? '')) {
      const word = /^\s+(and|or)\s+/i.exec(rule.slice(i));
      if (word) {
        parts.push(rule.slice(start, i));
        joins.push((word[1] ?? '').toLowerCase());
        i += word[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(rule.slice(start));
  return { parts, joins };
}

/**
 * The visual form of `rule`, or `undefined` when the rule has a shape the visual mode does not edit.
 *
 * Example: `parseVisual('visits >= 2 and geo.city == "London"')` -> `{join: 'and', conditions: [...]}`.
 */
export function parseVisual(rule: string): VisualRule | undefined {
  const text = rule.trim();
  if (text === '') return { join: 'and', conditions: [] };
  const { parts, joins } = split(text);
  const join = joins[0] ?? 'and';
  if (joins.some((j) => j !== join)) return undefined;
  const conditions = parts.map(parseCondition);
  if (conditions.some((c) => c === undefined)) return undefined;
  return { join: join === 'or' ? 'or' : 'and', conditions: conditions as Condition[] };
}

/** Writes one condition in the rule language. */
export function printCondition(c: Condition): string {
  if (c.kind === 'trait') return `trait:${c.code}${c.days === undefined ? '' : `[within ${c.days}d]`}`;
  if (c.kind === 'city') return `geo.city == ${JSON.stringify(c.city)}`;
  return `visits >= ${c.least}`;
}

/** Writes the visual form as a rule: the conditions joined by its word. */
export function printVisual(v: VisualRule): string {
  return v.conditions.map(printCondition).join(` ${v.join} `);
}
