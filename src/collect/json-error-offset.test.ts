import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonErrorOffset } from './json-error-offset.ts';

void test('jsonErrorOffset points at the first character that cannot continue the JSON', () => {
  const cases: [string, number][] = [
    ['{"a": hello}', 6],
    ['hello', 0],
    ['[1, 2', 5],
    ['{"a":1,}', 7],
    ['[1,]', 3],
    ['{"a" 1}', 5],
    ['{a:1}', 1],
    ['"abc', 4],
    ['"a\\x"', 2],
    ['[01]', 2],
    ['{"a":1} x', 8],
    ['', 0],
    ['[[[[', 4],
  ];
  for (const [text, offset] of cases) assert.equal(jsonErrorOffset(text), offset, text);
});

void test('jsonErrorOffset gives -1 for valid JSON, also deeply nested', () => {
  for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9"]} ', '"s"', '0']) {
    assert.equal(jsonErrorOffset(text), -1, text);
  }
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(jsonErrorOffset(deep), -1);
  assert.equal(jsonErrorOffset('['.repeat(100_000)), 100_000);
});
