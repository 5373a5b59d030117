import { CMP_OPS, type CmpOp, type Duration, type Literal, type Rule, type Window } from './ast.ts';
import { MAX_RULE_DEPTH, MAX_RULE_LENGTH, parseRule } from './parse-rule.ts';
import { printRule } from './print-rule.ts';
import { ruleDateMs } from './rule-date.ts';
import { MAX_DURATION } from './rule-lexer.ts';
import { compileRuleRegex, isPrintablePattern } from './rule-regex.ts';

/** An error in a rule's JSON form: where (a JSON path such as `$.args[1].op`) and what. */
export interface RuleJsonError {
  path: string;
  message: string;
}

/** The JSON form of a rule: a deep copy, plain data. Example: `JSON.stringify(ruleToJson(rule))`. */
export function ruleToJson(rule: Rule): Rule {
  return structuredClone(rule);
}

/**
 * Validates untrusted JSON as a rule, fully: every node, field, operator, literal, code, path, regex and
 * date, and that the rule prints to text that parses back to it. Never throws. Unknown fields are errors.
 * Example: `ruleFromJson({ type: 'exists', path: 'signals.plan' })` -> `{ ok: true, rule }`;
 * `ruleFromJson({ type: 'cmp', path: 'visits', op: '=' })` -> `{ ok: false, errors: [{ path: '$.op', ... }, ...] }`.
 */
export function ruleFromJson(
  json: unknown,
): { ok: true; rule: Rule } | { ok: false; errors: RuleJsonError[] } {
  try {
    const errors: RuleJsonError[] = [];
    const rule = decode(json, '$', 0, errors);
    if (!rule || errors.length > 0)
      return { ok: false, errors: errors.length > 0 ? errors : [{ path: '$', message: 'not a rule' }] };
    const text = printRule(rule);
    if (text.length > MAX_RULE_LENGTH)
      return {
        ok: false,
        errors: [{ path: '$', message: `rule is too long (at most ${MAX_RULE_LENGTH} characters)` }],
      };
    const parsed = parseRule(text);
    if (!parsed.ok)
      return { ok: false, errors: parsed.errors.map((e) => ({ path: '$', message: e.message })) };
    return { ok: true, rule: parsed.rule };
  } catch (e) {
    return {
      ok: false,
      errors: [{ path: '$', message: `not a rule: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
}

const PATH_RE = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;
const CODE_RE = /^[a-z0-9_-]+$/;
const STR_OPS = ['contains', 'startsWith', 'endsWith'] as const;

type Rec = Record<string, unknown>;

function push(errors: RuleJsonError[], path: string, message: string): undefined {
  errors.push({ path, message });
  return undefined;
}

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const FIELDS: Record<string, readonly string[]> = {
  and: ['args'],
  or: ['args'],
  not: ['arg'],
  trait: ['code', 'windows'],
  segment: ['code'],
  cmp: ['path', 'op', 'value'],
  in: ['path', 'values', 'negated'],
  str: ['path', 'op', 'value'],
  matches: ['path', 'pattern', 'flags'],
  exists: ['path'],
  time: ['path', 'op', 'duration', 'date'],
};

function decode(v: unknown, at: string, depth: number, errors: RuleJsonError[]): Rule | undefined {
  const fail = (where: string, message: string): undefined => push(errors, where, message);
  if (depth > MAX_RULE_DEPTH * 2) return fail(at, `rule nests too deeply (at most ${MAX_RULE_DEPTH} levels)`);
  if (!isRec(v)) return fail(at, 'expected an object with a "type"');
  const type = v.type;
  const fields = typeof type === 'string' && Object.hasOwn(FIELDS, type) ? FIELDS[type] : undefined;
  if (fields === undefined)
    return fail(
      `${at}.type`,
      `unknown node type ${JSON.stringify(type)}; expected one of ${Object.keys(FIELDS).join(', ')}`,
    );
  for (const k of Object.keys(v))
    if (k !== 'type' && !fields.includes(k))
      fail(`${at}.${k}`, `unknown field "${k}" for a "${String(type)}" node`);
  switch (type) {
    case 'and':
    case 'or': {
      if (!Array.isArray(v.args) || v.args.length < 2)
        return fail(`${at}.args`, 'expected an array of at least 2 rules');
      const args = (v.args as unknown[]).map((a, i) => decode(a, `${at}.args[${i}]`, depth + 1, errors));
      return args.every((a) => a !== undefined) ? { type, args: args } : undefined;
    }
    case 'not': {
      const arg = decode(v.arg, `${at}.arg`, depth + 1, errors);
      return arg && { type, arg };
    }
    case 'trait': {
      const code = decodeCode(v.code, `${at}.code`, errors);
      if (!Array.isArray(v.windows)) return fail(`${at}.windows`, 'expected an array of windows');
      const windows = (v.windows as unknown[]).map((w, i) => decodeWindow(w, `${at}.windows[${i}]`, errors));
      return code !== undefined && windows.every((w) => w !== undefined)
        ? { type, code, windows: windows }
        : undefined;
    }
    case 'segment': {
      const code = decodeCode(v.code, `${at}.code`, errors);
      return code === undefined ? undefined : { type, code };
    }
    default:
      return decodeLeaf(v, type as string, at, errors);
  }
}

function decodeLeaf(v: Rec, type: string, at: string, errors: RuleJsonError[]): Rule | undefined {
  const fail = (where: string, message: string): undefined => push(errors, where, message);
  const path =
    typeof v.path === 'string' && PATH_RE.test(v.path) && !/^(and|or|not)(\.|$)/i.test(v.path)
      ? v.path
      : undefined;
  if (path === undefined) return fail(`${at}.path`, 'expected a path such as "url.path" or "signals.plan"');
  if (type === 'cmp') {
    const op = CMP_OPS.find((o) => o === v.op);
    if (op === undefined) return fail(`${at}.op`, `expected one of ${CMP_OPS.join(' ')}`);
    const value = decodeLiteral(v.value, `${at}.value`, errors);
    return value === undefined ? undefined : { type, path, op, value };
  }
  if (type === 'in') {
    if (typeof v.negated !== 'boolean') return fail(`${at}.negated`, 'expected true or false');
    if (!Array.isArray(v.values) || v.values.length === 0)
      return fail(`${at}.values`, 'expected a non-empty array of values');
    const values = (v.values as unknown[]).map((x, i) => decodeLiteral(x, `${at}.values[${i}]`, errors));
    return values.every((x) => x !== undefined)
      ? { type, path, values: values, negated: v.negated }
      : undefined;
  }
  if (type === 'str') {
    const op = STR_OPS.find((o) => o === v.op);
    if (op === undefined) return fail(`${at}.op`, `expected one of ${STR_OPS.join(', ')}`);
    if (typeof v.value !== 'string') return fail(`${at}.value`, 'expected a string');
    return { type, path, op, value: v.value };
  }
  if (type === 'matches') {
    if (v.flags !== '' && v.flags !== 'i') return fail(`${at}.flags`, 'expected "" or "i"');
    if (typeof v.pattern !== 'string' || !isPrintablePattern(v.pattern)) {
      return fail(
        `${at}.pattern`,
        'expected a regex pattern without newlines, unescaped "/" or a trailing "\\"',
      );
    }
    const compiled = compileRuleRegex(v.pattern, v.flags);
    if (!compiled.ok) return fail(`${at}.pattern`, compiled.message);
    return { type, path, pattern: v.pattern, flags: v.flags };
  }
  if (type === 'exists') return { type, path };
  if (v.op === 'within') {
    if ('date' in v) return fail(`${at}.date`, 'a "within" test has a duration, not a date');
    const duration = decodeDuration(v.duration, `${at}.duration`, errors);
    return duration && { type: 'time', path, op: 'within', duration };
  }
  if (v.op !== 'before' && v.op !== 'after') return fail(`${at}.op`, 'expected within, before or after');
  if ('duration' in v) return fail(`${at}.duration`, `a "${v.op}" test has a date, not a duration`);
  const date = decodeDate(v.date, `${at}.date`, errors);
  return date === undefined ? undefined : { type: 'time', path, op: v.op, date };
}

function decodeWindow(v: unknown, at: string, errors: RuleJsonError[]): Window | undefined {
  const fail = (where: string, message: string): undefined => push(errors, where, message);
  if (!isRec(v)) return fail(at, 'expected a window object');
  const allowed = v.type === 'count' ? ['op', 'value'] : v.type === 'within' ? ['duration'] : ['date'];
  for (const k of Object.keys(v))
    if (k !== 'type' && !allowed.includes(k)) fail(`${at}.${k}`, `unknown field "${k}"`);
  if (v.type === 'count') {
    const op: CmpOp | undefined = CMP_OPS.find((o) => o === v.op);
    if (op === undefined) return fail(`${at}.op`, `expected one of ${CMP_OPS.join(' ')}`);
    if (typeof v.value !== 'number' || !Number.isSafeInteger(v.value) || v.value < 0) {
      return fail(`${at}.value`, 'expected a whole number >= 0');
    }
    return { type: 'count', op, value: v.value };
  }
  if (v.type === 'within') {
    const duration = decodeDuration(v.duration, `${at}.duration`, errors);
    return duration && { type: 'within', duration };
  }
  if (v.type !== 'before' && v.type !== 'after')
    return fail(`${at}.type`, 'expected count, within, before or after');
  const date = decodeDate(v.date, `${at}.date`, errors);
  return date === undefined ? undefined : { type: v.type, date };
}

function decodeCode(v: unknown, at: string, errors: RuleJsonError[]): string | undefined {
  if (typeof v === 'string' && CODE_RE.test(v)) return v;
  errors.push({ path: at, message: 'expected a code of a-z, 0-9, _ or -' });
  return undefined;
}

function decodeLiteral(v: unknown, at: string, errors: RuleJsonError[]): Literal | undefined {
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
    return v;
  errors.push({ path: at, message: 'expected a string, a finite number, true or false' });
  return undefined;
}

function decodeDuration(v: unknown, at: string, errors: RuleJsonError[]): Duration | undefined {
  if (isRec(v) && Object.keys(v).length === 2 && (v.unit === 'm' || v.unit === 'h' || v.unit === 'd')) {
    const amount = v.amount;
    if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0 && amount <= MAX_DURATION) {
      return { amount, unit: v.unit };
    }
  }
  errors.push({ path: at, message: `expected { amount: 0..${MAX_DURATION}, unit: "m" | "h" | "d" }` });
  return undefined;
}

function decodeDate(v: unknown, at: string, errors: RuleJsonError[]): string | undefined {
  if (typeof v === 'string' && ruleDateMs(v) !== undefined) return v;
  errors.push({ path: at, message: 'expected a date: YYYY-MM-DD or an ISO-8601 timestamp' });
  return undefined;
}
