import type { CheckContext } from './scope.ts';
import type { Pos, Rule, RulePositions } from './ast.ts';
import { parseRule } from './parse-rule.ts';
import { ruleError, type RuleError } from './rule-error.ts';
import { knownPaths, pathKind, type PathKind } from './rule-paths.ts';
import { didYouMean } from './suggest.ts';

/** What `checkRule` gives: the AST when the rule parses and checks, or every error found. */
export type CheckResult =
  { ok: true; rule: Rule; positions: RulePositions } | { ok: false; errors: RuleError[] };

const TIME_HINT = 'within <duration>, before <date>, after <date> or exists';

/**
 * Parses a rule and checks it against a tenant's catalog (docs/rule-language.md, Errors): unknown traits, segments and
 * paths (with "did you mean"), names out of scope, segment cycles, and operators on the wrong kind of value.
 * Example: `checkRule('trait:pricing_vistor', { scope: 'profile', traits: new Set(['pricing_visitor']), segments: new Map() })`
 * -> `{ ok: false, errors: [{ line: 1, column: 1, message: "unknown trait 'pricing_vistor'; did you mean 'pricing_visitor'?", ... }] }`.
 */
export function checkRule(text: string, ctx: CheckContext): CheckResult {
  const parsed = parseRule(text);
  if (!parsed.ok) return parsed;
  const errors: RuleError[] = [];
  const report = (node: object, message: string, expected?: string) => {
    const pos: Pos = parsed.positions.get(node) ?? { line: 1, column: 1, offset: 0 };
    errors.push(ruleError(text, pos, message, expected));
  };
  walk(parsed.rule, (node) => checkNode(node, ctx, report));
  return errors.length > 0 ? { ok: false, errors } : parsed;
}

type Report = (node: object, message: string, expected?: string) => void;

function walk(rule: Rule, visit: (r: Rule) => void): void {
  visit(rule);
  if (rule.type === 'and' || rule.type === 'or') for (const a of rule.args) walk(a, visit);
  else if (rule.type === 'not') walk(rule.arg, visit);
}

function checkNode(node: Rule, ctx: CheckContext, report: Report): void {
  switch (node.type) {
    case 'and':
    case 'or':
    case 'not':
      return;
    case 'trait':
      if (ctx.scope === 'event')
        return report(node, 'trait: references are only allowed in segment rules', 'a path of the event');
      if (!ctx.traits.has(node.code)) {
        return report(
          node,
          `unknown trait '${node.code}'${didYouMean(node.code, ctx.traits)}`,
          'a trait code of this tenant',
        );
      }
      return;
    case 'segment':
      if (ctx.scope === 'event')
        return report(node, 'segment: references are only allowed in segment rules', 'a path of the event');
      return checkSegment(node, node.code, ctx, report);
    default:
      return checkComparison(node, ctx, report);
  }
}

function checkSegment(node: object, code: string, ctx: CheckContext, report: Report): void {
  if (code === ctx.selfCode) return report(node, `segment '${code}' refers to itself`, 'another segment');
  if (!ctx.segments.has(code)) {
    return report(
      node,
      `unknown segment '${code}'${didYouMean(code, ctx.segments.keys())}`,
      'a segment code of this tenant',
    );
  }
  if (ctx.selfCode === undefined) return;
  const cycle = pathTo(code, ctx.selfCode, ctx.segments, new Set());
  if (cycle)
    report(
      node,
      `segment cycle: ${[ctx.selfCode, ...cycle].join(' -> ')}`,
      'a segment that does not refer back to this one',
    );
}

function pathTo(
  from: string,
  target: string,
  segments: ReadonlyMap<string, readonly string[]>,
  seen: Set<string>,
): string[] | undefined {
  if (from === target) return [from];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const next of segments.get(from) ?? []) {
    const rest = pathTo(next, target, segments, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

function checkComparison(
  node: Exclude<Rule, { type: 'and' | 'or' | 'not' | 'trait' | 'segment' }>,
  ctx: CheckContext,
  report: Report,
): void {
  const kind = pathKind(ctx.scope, node.path);
  if (kind === undefined)
    return report(node, unknownPath(node.path, ctx.scope), `a path of the ${ctx.scope}`);
  const message = wrongKind(node, kind);
  if (message) report(node, message.text, message.expected);
}

function unknownPath(path: string, scope: 'event' | 'profile'): string {
  const other = scope === 'event' ? 'profile' : 'event';
  if (pathKind(other, path) !== undefined) {
    return scope === 'event'
      ? `'${path}' is a profile path; trait rules see one event (paths: ${knownPaths('event').join(', ')})`
      : `'${path}' is an event path; segment rules see the profile (paths: ${knownPaths('profile').join(', ')}, trait:<code>, segment:<code>)`;
  }
  return `unknown path '${path}'${didYouMean(path, knownPaths(scope))}`;
}

function wrongKind(
  node: Exclude<Rule, { type: 'and' | 'or' | 'not' | 'trait' | 'segment' }>,
  kind: PathKind,
): { text: string; expected: string } | undefined {
  const p = node.path;
  if (node.type === 'exists' || kind === 'untyped') {
    return node.type === 'time'
      ? {
          text: `"${node.op}" needs a time path (first_seen, last_seen); ${p} is not one`,
          expected: 'a time path',
        }
      : undefined;
  }
  if (kind === 'id') return { text: `${p} allows only "exists" (e.g. ${p} exists)`, expected: 'exists' };
  if (kind === 'time') {
    return node.type === 'time'
      ? undefined
      : { text: `${p} is a time; use within, before or after (e.g. ${p} within 14d)`, expected: TIME_HINT };
  }
  if (node.type === 'time')
    return {
      text: `"${node.op}" needs a time path (first_seen, last_seen); ${p} is a ${kind}`,
      expected: 'a time path',
    };
  if (kind === 'number') {
    if (node.type === 'str' || node.type === 'matches') {
      return {
        text: `"${node.type === 'str' ? node.op : 'matches'}" needs a string; ${p} is a number`,
        expected: '==, !=, <, <=, >, >=, in, exists',
      };
    }
    const values = node.type === 'cmp' ? [node.value] : node.type === 'in' ? node.values : [];
    if (values.some((v) => typeof v !== 'number'))
      return { text: `${p} is a number; compare it with a number (e.g. ${p} >= 2)`, expected: 'a number' };
    return undefined;
  }
  if (node.type === 'cmp' && node.op !== '==' && node.op !== '!=') {
    return {
      text: `"${node.op}" needs a number; ${p} is a string`,
      expected: '==, !=, in, contains, startsWith, endsWith, matches, exists',
    };
  }
  const values = node.type === 'cmp' ? [node.value] : node.type === 'in' ? node.values : [];
  if (values.some((v) => typeof v !== 'string'))
    return { text: `${p} is a string; compare it with a string (e.g. ${p} == "x")`, expected: 'a string' };
  return undefined;
}
