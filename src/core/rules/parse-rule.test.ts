import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RULE_DEPTH, MAX_RULE_LENGTH, parseRule } from './parse-rule.ts';
import { printRule } from './print-rule.ts';
import type { RuleError } from './rule-error.ts';

function firstError(text: string): RuleError {
  const r = parseRule(text);
  assert.equal(r.ok, false, `expected ${JSON.stringify(text)} not to parse`);
  const e = r.ok ? undefined : r.errors[0];
  assert.ok(e);
  return e;
}

void describe('parseRule errors', () => {
  void it('a missing value: line, column, caret, message and expected', () => {
    const e = firstError('geo.city ==');
    assert.deepEqual(e, {
      line: 1,
      column: 12,
      message: 'expected a value after "==" (a string, number, true or false)',
      expected: 'a string, number, true or false',
      snippet: 'geo.city ==\n           ^',
    });
  });

  void it('positions on a later line, after a comment', () => {
    const e = firstError('# pricing\ntrait:a and\n  visits >> 2');
    assert.equal(e.line, 3);
    assert.equal(e.column, 11);
    assert.equal(e.snippet, '  visits >> 2\n          ^');
    assert.match(e.message, /expected a value after ">"/);
  });

  void it('a single "=" says to use "=="', () => {
    const e = firstError('visits = 2');
    assert.equal(e.column, 8);
    assert.match(e.message, /use "=="/);
  });

  void it('an unknown operator lists the operators', () => {
    const e = firstError('url.path begins "/p"');
    assert.equal(e.column, 10);
    assert.match(e.message, /expected an operator after "url.path"/);
    assert.match(e.expected ?? '', /startsWith/);
  });

  void it('an unclosed parenthesis and a stray token', () => {
    assert.match(firstError('(visits > 1').message, /expected "\)" to close the "\(" at line 1, column 1/);
    const e = firstError('visits > 1 visits');
    assert.equal(e.column, 12);
    assert.equal(e.expected, '"and", "or" or the end of the rule');
  });

  void it('windows: bad window, bad count, bad duration and date', () => {
    assert.match(firstError('trait:a[soon]').message, /expected a window/);
    assert.match(firstError('trait:a[count >= 1.5]').message, /whole number/);
    assert.match(firstError('trait:a[within 30]').message, /expected a duration after "within"/);
    assert.match(firstError('last_seen before 2026-02-30').message, /not a valid date/);
    assert.match(firstError('trait:a[within 30d').message, /expected "," or "\]"/);
  });

  void it('strings, regexes and references', () => {
    assert.match(firstError('a == "unterminated').message, /unterminated or invalid string/);
    assert.match(firstError('a == "bad \\x escape"').message, /invalid string/);
    assert.match(firstError('a matches /abc').message, /unterminated regex/);
    assert.match(firstError('a matches /abc/g').message, /unknown regex flags "g"/);
    const backref = firstError('url.path matches /(a)\\1/');
    assert.equal(backref.column, 18);
    assert.match(backref.message, /invalid regex/);
    assert.match(firstError('trait:Pricing').message, /lowercase/);
    assert.match(firstError('audience:x').message, /unknown reference "audience:"/);
    assert.match(firstError('and visits > 1').message, /expected a condition/);
    assert.match(firstError('').message, /unexpected end of rule/);
    assert.match(firstError('a not exists').message, /expected "in" after "not"/);
  });

  void it('limits depth and length with clear errors', () => {
    const deep = '('.repeat(MAX_RULE_DEPTH + 1) + 'a exists' + ')'.repeat(MAX_RULE_DEPTH + 1);
    assert.match(firstError(deep).message, /nests too deeply/);
    assert.match(firstError('not '.repeat(MAX_RULE_DEPTH + 1) + 'a exists').message, /nests too deeply/);
    assert.ok(parseRule('('.repeat(50) + 'a exists' + ')'.repeat(50)).ok);
    assert.match(firstError('a exists or '.repeat(MAX_RULE_LENGTH / 8)).message, /too long/);
  });

  void it('long lines are cut around the caret', () => {
    const text = 'a exists and '.repeat(40) + 'b ==';
    const e = firstError(text);
    assert.equal(e.column, text.length + 1);
    const [line, caret] = e.snippet.split('\n');
    assert.ok((line ?? '').length < 130);
    assert.equal((caret ?? '').indexOf('^'), (line ?? '').length);
  });
});

void describe('parseRule and printRule', () => {
  void it('normalises keywords (not paths), spaces, parentheses and escapes', () => {
    const r = parseRule(
      '  NOT ( Visits>=2 )\n AND (trait:a  OR  trait:b[ COUNT>=2 ,WITHIN 30d ])  # why\nor x.y in ("a\\u0041" , 1,TRUE)',
    );
    assert.ok(r.ok);
    assert.equal(
      printRule(r.rule),
      'not Visits >= 2 and (trait:a or trait:b[count >= 2, within 30d]) or x.y in ("aA", 1, true)',
    );
  });

  void it('and binds tighter than or; nesting as written is kept', () => {
    const r = parseRule('a exists or b exists and c exists');
    assert.ok(r.ok);
    assert.equal(r.rule.type, 'or');
    const nested = parseRule('(a exists and b exists) and c exists');
    assert.ok(nested.ok);
    assert.equal(printRule(nested.rule), '(a exists and b exists) and c exists');
  });

  void it('keeps durations and dates as written, and records node positions beside the AST', () => {
    const r = parseRule('first_seen within 90m and\n last_seen after 2026-01-02T03:04:05+01:00');
    assert.ok(r.ok);
    assert.equal(printRule(r.rule), 'first_seen within 90m and last_seen after 2026-01-02T03:04:05+01:00');
    assert.ok(r.rule.type === 'and');
    assert.deepEqual(r.positions.get(r.rule.args[1] ?? {}), { line: 2, column: 2, offset: 27 });
    assert.equal(JSON.stringify(r.rule).includes('line'), false);
  });

  void it('reads negative numbers, exponents, and -0 as 0', () => {
    const r = parseRule('a > -1.5e3 and b == -0');
    assert.ok(r.ok);
    assert.equal(printRule(r.rule), 'a > -1500 and b == 0');
    assert.ok(r.rule.type === 'and' && r.rule.args[1]?.type === 'cmp');
    assert.ok(Object.is(r.rule.args[1].value, 0));
  });
});
