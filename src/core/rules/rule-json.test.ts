import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule } from './parse-rule.ts';
import { ruleFromJson, ruleToJson } from './rule-json.ts';

void describe('ruleToJson / ruleFromJson', () => {
  void it('round-trips a parsed rule as a deep copy', () => {
    const parsed = parseRule(
      'trait:a[count >= 2, within 30d, before 2026-11-01] and not url.path matches /^\\/p/i',
    );
    assert.ok(parsed.ok);
    const json = ruleToJson(parsed.rule);
    assert.notEqual(json, parsed.rule);
    const back = ruleFromJson(JSON.parse(JSON.stringify(json)));
    assert.deepEqual(back, { ok: true, rule: parsed.rule });
  });

  void it('names the offending field', () => {
    const cases: [unknown, string, RegExp][] = [
      [null, '$', /expected an object/],
      [{ type: 'xor' }, '$.type', /unknown node type "xor"/],
      [{ type: 'cmp', path: 'visits', op: '=', value: 1 }, '$.op', /expected one of/],
      [{ type: 'cmp', path: 'visits', op: '==', value: Infinity }, '$.value', /finite number/],
      [{ type: 'cmp', path: 'a b', op: '==', value: 1 }, '$.path', /expected a path/],
      [{ type: 'exists', path: 'not.x' }, '$.path', /expected a path/],
      [{ type: 'and', args: [{ type: 'exists', path: 'a' }] }, '$.args', /at least 2/],
      [
        {
          type: 'or',
          args: [
            { type: 'exists', path: 'a' },
            { type: 'segment', code: 'Bad' },
          ],
        },
        '$.args[1].code',
        /a-z/,
      ],
      [
        { type: 'trait', code: 'a', windows: [{ type: 'within', duration: { amount: 1, unit: 'y' } }] },
        '$.windows[0].duration',
        /unit/,
      ],
      [
        { type: 'trait', code: 'a', windows: [{ type: 'count', op: '>=', value: 1.5 }] },
        '$.windows[0].value',
        /whole number/,
      ],
      [{ type: 'time', path: 'last_seen', op: 'before', date: '2026-13-01' }, '$.date', /date/],
      [{ type: 'matches', path: 'a', pattern: '(a)\\1', flags: '' }, '$.pattern', /invalid regex/],
      [{ type: 'matches', path: 'a', pattern: 'a/b', flags: '' }, '$.pattern', /unescaped/],
      [{ type: 'exists', path: 'a', extra: 1 }, '$.extra', /unknown field/],
      [{ type: 'in', path: 'a', values: [], negated: false }, '$.values', /non-empty/],
    ];
    for (const [json, path, message] of cases) {
      const r = ruleFromJson(json);
      assert.equal(r.ok, false, JSON.stringify(json));
      if (!r.ok) {
        assert.equal(r.errors[0]?.path, path, JSON.stringify(json));
        assert.match(r.errors[0]?.message ?? '', message);
      }
    }
  });

  void it('rejects rules nested deeper than the text form allows', () => {
    let deep: unknown = { type: 'exists', path: 'a' };
    for (let i = 0; i < 150; i++) deep = { type: 'not', arg: deep };
    const r = ruleFromJson(deep);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : (r.errors[0]?.message ?? ''), /nests too deeply/);
  });
});
