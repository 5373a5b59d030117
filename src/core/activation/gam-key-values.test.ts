import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GAM_LIMITS, gamKeyValues, gamProblem } from './gam-key-values.ts';

void describe('gamProblem', () => {
  void it('applies the Ad Manager limits to keys and values', () => {
    const cases: [string, 'key' | 'value', RegExp | undefined][] = [
      ['dmp', 'key', undefined],
      ['a'.repeat(20), 'key', undefined],
      ['a'.repeat(21), 'key', /at most 20/],
      ['9dmp', 'key', /start with a digit/],
      ['dmp seg', 'key', /white space/],
      ['', 'key', /empty/],
      ['607', 'value', undefined],
      ['a'.repeat(40), 'value', undefined],
      ['a'.repeat(41), 'value', /at most 40/],
      ['', 'value', /empty/],
    ];
    for (const char of '"\'=!+#*~;^()<>[],&')
      cases.push([`a${char}b`, 'value', /must not contain/], [`k${char}`, 'key', /must not contain/]);
    for (const [text, what, expected] of cases) {
      const problem = gamProblem(text, what);
      if (expected === undefined) assert.equal(problem, undefined, `${what} ${text}`);
      else assert.match(problem ?? '', expected, `${what} ${text}`);
    }
  });
});

void describe('gamKeyValues', () => {
  void it('keeps what fits, replaces white space, drops the rest with a reason', () => {
    const result = gamKeyValues([
      { key: 'dmp', values: ['607', ' Sports  Fans ', 'a=b', 'x'.repeat(41), 'SPORTS_fans', '607'] },
      { key: 'dmp', values: ['243'] },
      { key: '1bad', values: ['607'] },
      { key: 'empty', values: [] },
    ]);
    assert.deepEqual(result.targeting, { dmp: ['607', 'Sports_Fans', '243'] });
    assert.deepEqual(
      result.dropped.map((d) => [d.key, d.value]),
      [
        ['dmp', 'a=b'],
        ['dmp', 'x'.repeat(41)],
        ['1bad', undefined],
      ],
    );
    assert.match(result.dropped[2]?.reason ?? '', /digit/);
  });

  void it('caps the values per key, in mapping order', () => {
    const values = Array.from({ length: 60 }, (_, i) => `s${i}`);
    const capped = gamKeyValues([{ key: 'dmp', values }]);
    assert.equal(capped.targeting.dmp?.length, GAM_LIMITS.defaultMaxValuesPerKey);
    assert.equal(capped.targeting.dmp?.[49], 's49');
    assert.equal(capped.dropped.length, 10);
    assert.match(capped.dropped[0]?.reason ?? '', /more than 50 values for key dmp/);
    assert.deepEqual(gamKeyValues([{ key: 'dmp', values }], { maxValuesPerKey: 2 }).targeting, {
      dmp: ['s0', 's1'],
    });
  });
});
