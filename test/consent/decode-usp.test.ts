import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUsp } from '../../src/core/consent/index.ts';
import type { UspResult } from '../../src/core/consent/index.ts';

const cases: [string, UspResult | RegExp][] = [
  ['1YNN', { ok: true, version: 1, notice: 'Y', optOutSale: 'N', lspa: 'N' }],
  ['1YYN', { ok: true, version: 1, notice: 'Y', optOutSale: 'Y', lspa: 'N' }],
  ['1NYY', { ok: true, version: 1, notice: 'N', optOutSale: 'Y', lspa: 'Y' }],
  ['1---', { ok: true, version: 1, notice: '-', optOutSale: '-', lspa: '-' }],
  ['', /4 characters, not 0/],
  ['1YN', /4 characters, not 3/],
  ['1YNNN', /4 characters, not 5/],
  ['2YNN', /version must be 1, not "2"/],
  ['1yyn', /must each be Y, N or -/],
  ['1YXN', /must each be Y, N or -/],
  ['garb', /version must be 1/],
];

for (const [input, expected] of cases) {
  test(`decodeUsp(${JSON.stringify(input)})`, () => {
    const result = decodeUsp(input);
    if (expected instanceof RegExp) {
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.reason, expected);
    } else {
      assert.deepEqual(result, expected);
    }
  });
}
