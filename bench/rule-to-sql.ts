import type { Literal, Rule, TraitRef, Window } from '../src/core/rules/index.ts';
import { durationMs, ruleDateMs } from '../src/core/rules/index.ts';

/** What the translator needs from the tenant: its traits, its segments' rules, and the time of evaluation. */
export interface SqlContext {
  now: number;
  trait(code: string): { id: number; lifetimeMs: number } | undefined;
  segmentRule(code: string): Rule | undefined;
}

/**
 * The trait counts a set of translated rules needs: one column per distinct (trait, kept interval),
 * computed once per profile from the `realisations` table.
 * Example: `counts.column(12, lo, hi)` -> `'c0'`; `counts.cte()` -> `'c AS (SELECT p, count(*) FILTER (...) AS c0 ...)'`.
 */
export class TraitCounts {
  private readonly columns = new Map<string, { name: string; traitId: number; lo: number; hi: number }>();

  column(traitId: number, lo: number, hi: number): string {
    const key = `${traitId}:${lo}:${hi}`;
    let c = this.columns.get(key);
    if (c === undefined) {
      c = { name: `c${this.columns.size}`, traitId, lo, hi };
      this.columns.set(key, c);
    }
    return c.name;
  }

  get size(): number {
    return this.columns.size;
  }

  /** The common table `c(p, c0, c1, ...)`, or undefined when no rule refers to a trait. */
  cte(): string | undefined {
    if (this.columns.size === 0) return undefined;
    const all = [...this.columns.values()];
    const filters = all.map((c) => {
      const bounds = [`trait = ${c.traitId}`];
      if (c.lo !== -Infinity) bounds.push(`ts > ${c.lo}`);
      if (c.hi !== Infinity) bounds.push(`ts <= ${c.hi}`);
      return `count(*) FILTER (WHERE ${bounds.join(' AND ')}) AS ${c.name}`;
    });
    const traits = [...new Set(all.map((c) => c.traitId))].join(', ');
    return `c AS (SELECT p, ${filters.join(', ')} FROM realisations WHERE trait IN (${traits}) GROUP BY p)`;
  }

  /** `FROM profiles` joined to the counts when there are any. */
  from(): string {
    return this.columns.size === 0 ? 'profiles' : 'profiles LEFT JOIN c USING (p)';
  }
}

/**
 * A complete query counting the profiles a rule holds for.
 * Example: `sizeQuery(rule, ctx)` -> `'WITH c AS (...) SELECT count(*) FROM profiles LEFT JOIN c USING (p) WHERE ...'`.
 */
export function sizeQuery(rule: Rule, ctx: SqlContext): string {
  const counts = new TraitCounts();
  const where = ruleToSql(rule, ctx, counts);
  return withCounts(counts, `SELECT count(*) FROM ${counts.from()} WHERE ${where}`);
}

/** Prefixes the counts' common table, if any. Example: `withCounts(counts, 'SELECT 1')`. */
export function withCounts(counts: TraitCounts, select: string): string {
  const cte = counts.cte();
  return cte === undefined ? select : `WITH ${cte} ${select}`;
}

/**
 * The tables the translated rules read: one row per profile (its attributes; `id_types` lists the types of
 * its IDs as `,maid,email,`; an unknown value is NULL) and one per realisation (profile, trait ID, time in
 * epoch ms). `bench/duck-export.ts` fills them from a tenant, the conformance test from the cases' profiles.
 * Example: `for (const sql of RULE_TABLES) await connection.run(sql)`.
 */
export const RULE_TABLES: readonly string[] = [
  `CREATE TABLE profiles (p INTEGER, visits INTEGER, pageviews INTEGER, first_seen DOUBLE, last_seen DOUBLE,
      country VARCHAR, region VARCHAR, city VARCHAR, device_type VARCHAR, os VARCHAR, browser VARCHAR, id_types VARCHAR)`,
  'CREATE TABLE realisations (p INTEGER, trait INTEGER, ts DOUBLE)',
];

/**
 * The profile paths the translator covers, and the column of `profiles` that holds each.
 * Example: `PROFILE_COLUMNS['geo.city']` -> `{ column: 'city', kind: 'text' }`.
 */
export const PROFILE_COLUMNS: Readonly<Record<string, { column: string; kind: 'text' | 'number' }>> = {
  'geo.country': { column: 'country', kind: 'text' },
  'geo.region': { column: 'region', kind: 'text' },
  'geo.city': { column: 'city', kind: 'text' },
  'device.type': { column: 'device_type', kind: 'text' },
  'device.os': { column: 'os', kind: 'text' },
  'device.browser': { column: 'browser', kind: 'text' },
  visits: { column: 'visits', kind: 'number' },
  pageviews: { column: 'pageviews', kind: 'number' },
  first_seen: { column: 'first_seen', kind: 'number' },
  last_seen: { column: 'last_seen', kind: 'number' },
};

/**
 * Translates a segment rule to a SQL boolean over `profiles` (and the count columns it adds to `counts`),
 * with the rule language's two-valued logic (a missing value compares false, `!=` and `not in` are the
 * negations). Segment references are inlined. Throws for what the translator does not cover (comparisons
 * across types, other paths), so a bench never compares against a wrong query.
 * Example: `ruleToSql(parse('geo.city == "London" and visits >= 2'), ctx, counts)`
 * -> `"(coalesce(city = 'London', false) AND coalesce(visits >= 2, false))"`.
 */
export function ruleToSql(rule: Rule, ctx: SqlContext, counts: TraitCounts, seen: string[] = []): string {
  switch (rule.type) {
    case 'and':
    case 'or':
      return `(${rule.args.map((a) => ruleToSql(a, ctx, counts, seen)).join(rule.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${ruleToSql(rule.arg, ctx, counts, seen)})`;
    case 'segment': {
      const inner = ctx.segmentRule(rule.code);
      if (inner === undefined || seen.includes(rule.code)) return 'false';
      return ruleToSql(inner, ctx, counts, [...seen, rule.code]);
    }
    case 'trait':
      return traitSql(rule, ctx, counts);
    case 'cmp': {
      const { column, kind } = columnOf(rule.path);
      const sqlOp = rule.op === '==' ? '=' : rule.op;
      if (typeof rule.value !== (kind === 'text' ? 'string' : 'number'))
        throw unsupported(`${rule.path} ${rule.op} ${JSON.stringify(rule.value)}`);
      if (rule.op === '!=') return `(NOT coalesce(${column} = ${literal(rule.value)}, false))`;
      return `coalesce(${column} ${sqlOp} ${literal(rule.value)}, false)`;
    }
    case 'in': {
      const { column, kind } = columnOf(rule.path);
      if (rule.values.some((v) => typeof v !== (kind === 'text' ? 'string' : 'number')))
        throw unsupported(`${rule.path} in (...) with mixed types`);
      const test = `coalesce(${column} IN (${rule.values.map(literal).join(', ')}), false)`;
      return rule.negated ? `(NOT ${test})` : test;
    }
    case 'str': {
      const { column } = columnOf(rule.path);
      const fn = { contains: 'contains', startsWith: 'starts_with', endsWith: 'ends_with' }[rule.op];
      return `coalesce(${fn}(${column}, ${literal(rule.value)}), false)`;
    }
    case 'matches': {
      const { column } = columnOf(rule.path);
      const options = rule.flags === 'i' ? `, 'i'` : '';
      return `coalesce(regexp_matches(${column}, ${literal(rule.pattern)}${options}), false)`;
    }
    case 'exists':
      if (rule.path.startsWith('ids.')) return `contains(id_types, ${literal(`,${rule.path.slice(4)},`)})`;
      return `(${columnOf(rule.path).column} IS NOT NULL)`;
    case 'time': {
      const { column } = columnOf(rule.path);
      if (rule.op === 'within') {
        const from = ctx.now - durationMs(rule.duration);
        return `coalesce(${column} > ${from} AND ${column} <= ${ctx.now}, false)`;
      }
      const bound = ruleDateMs(rule.date);
      if (bound === undefined) return 'false';
      return `coalesce(${column} ${rule.op === 'before' ? '<=' : '>'} ${bound}, false)`;
    }
  }
}

function traitSql(rule: TraitRef, ctx: SqlContext, counts: TraitCounts): string {
  const bound = ctx.trait(rule.code);
  if (bound === undefined) return 'false';
  const { lo, hi, tests } = kept(rule.windows, bound.lifetimeMs, ctx.now);
  const n = lo < hi ? `coalesce(${counts.column(bound.id, lo, hi)}, 0)` : '0';
  if (tests.length === 0) return `(${n} >= 1)`;
  return `(${tests.map((t) => `${n} ${t.op === '==' ? '=' : t.op} ${t.value}`).join(' AND ')})`;
}

/** The kept interval (lo, hi] of a trait reference at `now`, and its count tests. */
function kept(windows: readonly Window[], lifetimeMs: number, now: number) {
  let lo = now - lifetimeMs;
  let before = Infinity;
  let within = false;
  const tests: { op: string; value: number }[] = [];
  for (const w of windows) {
    if (w.type === 'count') tests.push({ op: w.op, value: w.value });
    else if (w.type === 'within') {
      within = true;
      lo = Math.max(lo, now - durationMs(w.duration));
    } else if (w.type === 'before') before = Math.min(before, ruleDateMs(w.date) ?? -Infinity);
    else lo = Math.max(lo, ruleDateMs(w.date) ?? Infinity);
  }
  const hi = within ? Math.min(now, before) : before;
  return { lo, hi, tests };
}

function columnOf(path: string): { column: string; kind: 'text' | 'number' } {
  const c = Object.hasOwn(PROFILE_COLUMNS, path) ? PROFILE_COLUMNS[path] : undefined;
  if (c === undefined) throw unsupported(`path ${path}`);
  return c;
}

function literal(value: Literal): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported(`number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${value.replaceAll("'", "''")}'`;
}

function unsupported(what: string): Error {
  return new Error(`bench rule-to-SQL translator does not cover ${what}; extend bench/rule-to-sql.ts`);
}
