import type { CmpOp, Literal, Rule, RulePositions, Window } from './ast.ts';
import { lexRule, type Token } from './rule-lexer.ts';
import { lineStarts, posAt, posIn, ruleError, type RuleError } from './rule-error.ts';
import { compileRuleRegex } from './rule-regex.ts';

/** Rules longer than this many characters are rejected. */
export const MAX_RULE_LENGTH = 65_536;
/** Parentheses and `not` nest at most this deep. */
export const MAX_RULE_DEPTH = 100;

/** What `parseRule` gives: the AST and, beside it, where each node starts; or the errors. */
export type ParseResult =
  { ok: true; rule: Rule; positions: RulePositions } | { ok: false; errors: RuleError[] };

const LITERAL = 'a string, number, true or false';
const CONDITION = 'a condition: a path such as url.path, trait:<code>, segment:<code>, "not" or "("';
const OPERATORS =
  '==, !=, <, <=, >, >=, in, not in, contains, startsWith, endsWith, matches, exists, within, before, after';
const STR_OPS = { contains: 'contains', startswith: 'startsWith', endswith: 'endsWith' } as const;

/**
 * Parses rule text (docs/rule-language.md, Syntax) into its AST. Never throws.
 * Example: `parseRule('visits >= 2')` -> `{ ok: true, rule: { type: 'cmp', path: 'visits', op: '>=', value: 2 }, positions }`;
 * `parseRule('visits >=')` -> `{ ok: false, errors: [{ line: 1, column: 10, message: 'expected a value after ">=" ...' }] }`.
 */
export function parseRule(text: string): ParseResult {
  if (text.length > MAX_RULE_LENGTH) {
    const at = posAt(text, MAX_RULE_LENGTH);
    return {
      ok: false,
      errors: [ruleError(text, at, `rule is too long (at most ${MAX_RULE_LENGTH} characters)`)],
    };
  }
  const lexed = lexRule(text);
  if (!lexed.ok) {
    const f = lexed.failure;
    return { ok: false, errors: [ruleError(text, posAt(text, f.offset), f.message, f.expected)] };
  }
  return new Parser(text, lexed.tokens).run();
}

class Parser {
  private i = 0;
  private error: RuleError | undefined;
  private readonly positions: RulePositions = new WeakMap();
  private readonly starts: number[];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {
    this.starts = lineStarts(text);
  }

  run(): ParseResult {
    const rule = this.or(0);
    if (rule && this.peek().kind !== 'eof') {
      this.fail(this.peek(), `unexpected ${this.show(this.peek())}`, '"and", "or" or the end of the rule');
    }
    if (this.error || !rule) return { ok: false, errors: [this.error ?? this.internal()] };
    return { ok: true, rule, positions: this.positions };
  }

  private internal(): RuleError {
    return ruleError(this.text, posAt(this.text, 0), 'could not parse the rule');
  }

  private peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'eof', offset: 0, end: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'name' && t.text.toLowerCase() === word;
  }

  private show(t: Token): string {
    return t.kind === 'eof' ? 'end of rule' : JSON.stringify(this.text.slice(t.offset, t.end));
  }

  private fail(t: Token, message: string, expected?: string): undefined {
    this.error ??= ruleError(this.text, posIn(this.starts, t.offset), message, expected);
    return undefined;
  }

  private at<T extends Rule | Window>(node: T, t: Token): T {
    this.positions.set(node, posIn(this.starts, t.offset));
    return node;
  }

  private or(depth: number): Rule | undefined {
    const start = this.peek();
    const first = this.and(depth);
    if (!first) return undefined;
    const args = [first];
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      const arg = this.and(depth);
      if (!arg) return undefined;
      args.push(arg);
    }
    return args.length === 1 ? first : this.at({ type: 'or', args }, start);
  }

  private and(depth: number): Rule | undefined {
    const start = this.peek();
    const first = this.unary(depth);
    if (!first) return undefined;
    const args = [first];
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      const arg = this.unary(depth);
      if (!arg) return undefined;
      args.push(arg);
    }
    return args.length === 1 ? first : this.at({ type: 'and', args }, start);
  }

  private unary(depth: number): Rule | undefined {
    const t = this.peek();
    if (depth >= MAX_RULE_DEPTH)
      return this.fail(t, `rule nests too deeply (at most ${MAX_RULE_DEPTH} levels)`);
    if (this.isWord(t, 'not')) {
      this.next();
      const arg = this.unary(depth + 1);
      return arg && this.at({ type: 'not', arg }, t);
    }
    return this.primary(depth);
  }

  private primary(depth: number): Rule | undefined {
    const t = this.next();
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.or(depth + 1);
      if (!inner) return undefined;
      const close = this.next();
      if (close.kind !== 'punct' || close.text !== ')') {
        return this.fail(
          close,
          `expected ")" to close the "(" at line ${posIn(this.starts, t.offset).line}, column ${posIn(this.starts, t.offset).column}`,
          '")"',
        );
      }
      return inner;
    }
    if (t.kind === 'ref') {
      if (t.ref === 'segment') return this.at({ type: 'segment', code: t.code }, t);
      const windows = this.windows();
      return windows && this.at({ type: 'trait', code: t.code, windows }, t);
    }
    if (t.kind === 'name' && !['and', 'or', 'not'].includes(t.text.toLowerCase())) return this.comparison(t);
    const where = t.kind === 'eof' ? 'unexpected end of rule' : `unexpected ${this.show(t)}`;
    return this.fail(t, `${where}; expected ${CONDITION}`, CONDITION);
  }

  private windows(): Window[] | undefined {
    const open = this.peek();
    if (open.kind !== 'punct' || open.text !== '[') return [];
    this.next();
    const windows: Window[] = [];
    for (;;) {
      const w = this.window();
      if (!w) return undefined;
      windows.push(w);
      const sep = this.next();
      if (sep.kind === 'punct' && sep.text === ']') return windows;
      if (sep.kind !== 'punct' || sep.text !== ',') {
        return this.fail(sep, `expected "," or "]" after a window, not ${this.show(sep)}`, '"," or "]"');
      }
    }
  }

  private window(): Window | undefined {
    const t = this.next();
    const expected = 'count <op> <integer>, within <duration>, before <date> or after <date>';
    if (this.isWord(t, 'count')) {
      const op = this.next();
      if (op.kind !== 'op')
        return this.fail(op, 'expected a comparison after "count"', '==, !=, <, <=, >, >=');
      const n = this.next();
      if (n.kind !== 'number' || !Number.isSafeInteger(n.value) || n.value < 0) {
        return this.fail(n, `expected a whole number after "count ${op.text}"`, 'a whole number >= 0');
      }
      return this.at({ type: 'count', op: op.text, value: n.value }, t);
    }
    if (this.isWord(t, 'within')) {
      const d = this.next();
      if (d.kind !== 'duration')
        return this.fail(d, 'expected a duration after "within"', 'a duration: 15m, 12h, 30d');
      return this.at({ type: 'within', duration: { amount: d.amount, unit: d.unit } }, t);
    }
    if (this.isWord(t, 'before') || this.isWord(t, 'after')) {
      const type = this.isWord(t, 'before') ? 'before' : 'after';
      const d = this.next();
      if (d.kind !== 'date')
        return this.fail(d, `expected a date after "${type}"`, 'YYYY-MM-DD or an ISO-8601 timestamp');
      return this.at({ type, date: d.text }, t);
    }
    return this.fail(t, `expected a window, not ${this.show(t)}`, expected);
  }

  private comparison(pathTok: Token & { kind: 'name' }): Rule | undefined {
    const path = pathTok.text;
    const t = this.next();
    if (t.kind === 'op') {
      const value = this.literal(`expected a value after "${t.text}" (${LITERAL})`);
      return value === undefined
        ? undefined
        : this.at({ type: 'cmp', path, op: t.text satisfies CmpOp, value }, pathTok);
    }
    if (t.kind !== 'name')
      return this.fail(t, `expected an operator after "${path}", not ${this.show(t)}`, OPERATORS);
    const word = t.text.toLowerCase();
    if (word === 'not' || word === 'in') {
      const inTok = word === 'not' ? this.next() : t;
      if (!this.isWord(inTok, 'in'))
        return this.fail(inTok, `expected "in" after "not", not ${this.show(inTok)}`, '"in"');
      const values = this.list();
      return values && this.at({ type: 'in', path, values, negated: word === 'not' }, pathTok);
    }
    if (word === 'contains' || word === 'startswith' || word === 'endswith') {
      const op = STR_OPS[word];
      const s = this.next();
      if (s.kind !== 'string')
        return this.fail(s, `expected a string after "${op}"`, 'a string in double quotes');
      return this.at({ type: 'str', path, op, value: s.value }, pathTok);
    }
    if (word === 'matches') {
      const r = this.next();
      if (r.kind !== 'regex')
        return this.fail(
          r,
          'expected a regex after "matches", like /^\\/products\\//',
          '/regex/ or /regex/i',
        );
      const compiled = compileRuleRegex(r.pattern, r.flags);
      if (!compiled.ok)
        return this.fail(r, compiled.message, 'a regex in RE2 syntax (no backreferences or lookaround)');
      return this.at({ type: 'matches', path, pattern: r.pattern, flags: r.flags }, pathTok);
    }
    if (word === 'exists') return this.at({ type: 'exists', path }, pathTok);
    if (word === 'within') {
      const d = this.next();
      if (d.kind !== 'duration')
        return this.fail(d, 'expected a duration after "within"', 'a duration: 15m, 12h, 30d');
      return this.at(
        { type: 'time', path, op: 'within', duration: { amount: d.amount, unit: d.unit } },
        pathTok,
      );
    }
    if (word === 'before' || word === 'after') {
      const d = this.next();
      if (d.kind !== 'date')
        return this.fail(d, `expected a date after "${word}"`, 'YYYY-MM-DD or an ISO-8601 timestamp');
      return this.at({ type: 'time', path, op: word, date: d.text }, pathTok);
    }
    return this.fail(t, `expected an operator after "${path}", not ${this.show(t)}`, OPERATORS);
  }

  private literal(message: string): Literal | undefined {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (this.isWord(t, 'true')) return true;
    if (this.isWord(t, 'false')) return false;
    return this.fail(t, message, LITERAL);
  }

  private list(): Literal[] | undefined {
    const open = this.next();
    if (open.kind !== 'punct' || open.text !== '(')
      return this.fail(open, 'expected "(" to start the list after "in"', '"("');
    const values: Literal[] = [];
    for (;;) {
      const v = this.literal(`expected a value in the list (${LITERAL})`);
      if (v === undefined) return undefined;
      values.push(v);
      const sep = this.next();
      if (sep.kind === 'punct' && sep.text === ')') return values;
      if (sep.kind !== 'punct' || sep.text !== ',') {
        return this.fail(sep, `expected "," or ")" in the list, not ${this.show(sep)}`, '"," or ")"');
      }
    }
  }
}
