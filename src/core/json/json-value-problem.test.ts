import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonValueProblem } from './json-value-problem.ts';

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

function hasUnsafe(value: unknown): boolean {
  if (typeof value === 'number')
    return !Number.isSafeInteger(value) && (Number.isInteger(value) || !Number.isFinite(value));
  if (typeof value !== 'object' || value === null) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(hasUnsafe);
}

void describe('jsonValueProblem', () => {
  const cases: [string, string, number, RegExp | undefined][] = [
    ['a flat event', '{"uid":"a","ts":1763640000000,"signals":{"v":0.1234567890123456789}}', 64, undefined],
    ['the top level is level 1', '[]', 1, undefined],
    ['one level too deep', '{"a":[{"b":1}]}', 2, /^body: nests objects and arrays deeper than 2 levels/],
    ['the largest safe integer', '{"n":9007199254740991}', 64, undefined],
    [
      'the first unsafe integer',
      '{"n":9007199254740993}',
      64,
      /^body\.n: a number beyond 9007199254740991 \(it was rounded to 9007199254740992\)/,
    ],
    ['a negative one, in an array', '[1,-12345678901234567891]', 64, /^body\[1\]: a number beyond/],
    ['an overflow', '{"a":{"b":[0,1e400]}}', 64, /^body\.a\.b\[1\]: .*rounded to Infinity/],
    ['an integer too large for 2^53, however written', '{"n":1e20}', 64, /^body\.n:/],
    ['digits in a string are text', '{"id":"12345678901234567891"}', 64, undefined],
    ['a top-level number', '12345678901234567891', 64, /^body: a number beyond/],
  ];
  for (const [name, text, max, expected] of cases) {
    void it(name, () => {
      const problem = jsonValueProblem(JSON.parse(text), 'body', max);
      if (expected === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? '', expected);
    });
  }

  void it('walks a value nested far deeper than the stack allows', () => {
    const deep: unknown = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
    assert.match(jsonValueProblem(deep, 'body') ?? '', /deeper than 64 levels/);
    const both: unknown = JSON.parse(`[${'['.repeat(200_000)}${']'.repeat(200_000)}, 1e400]`);
    assert.ok(jsonValueProblem(both, 'body') !== undefined);
  });

  void it('agrees with a recursive depth and a recursive number check on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 10 }), (value, max) => {
        const problem = jsonValueProblem(value, 'body', max);
        const deep = depthOf(value) > max;
        const unsafe = hasUnsafe(value);
        if (!deep && !unsafe) assert.equal(problem, undefined);
        else if (deep && !unsafe) assert.match(problem ?? '', /deeper than/);
        else if (!deep && unsafe) assert.match(problem ?? '', /a number beyond/);
        else assert.notEqual(problem, undefined);
      }),
    );
  });

  void it('names the path of an unsafe integer put anywhere', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
        fc.bigInt({ min: 9007199254740993n, max: 10n ** 30n }),
        (object, big) => {
          const value = { x: [object, Number(big)] };
          assert.match(jsonValueProblem(value, 'body') ?? '', /^body\.x\[1\]: a number beyond/);
        },
      ),
    );
  });
});
