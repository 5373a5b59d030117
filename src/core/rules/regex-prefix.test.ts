import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { compileRuleRegex } from './rule-regex.ts';
import { prefixGate } from './regex-prefix.ts';

test('the prefix gate never changes what a regex matches, only skips hopeless inputs', () => {
  const cases: [string, '' | 'i', string][] = [
    ['^\\/products\\/[0-9]+$', '', '/products/12'],
    ['^\\/products\\/[0-9]+$', '', '/blog/12'],
    ['^/kit', 'i', '/KIT'],
    ['^/kit', 'i', '/\u212Ait'], // KELVIN SIGN folds to k in RE2
    ['^/shoes?', 'i', '/SHOE'],
    ['^/s', 'i', '/\u017F'], // LONG S folds to s
    ['^/a', '', '/'],
  ];
  for (const [pattern, flags, input] of cases) {
    const compiled = compileRuleRegex(pattern, flags);
    assert.ok(compiled.ok);
    const re2 = RE2JS.compile(pattern, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0).test(input);
    assert.equal(compiled.regex.test(input), re2, `/${pattern}/${flags} on ${JSON.stringify(input)}`);
  }
  assert.equal(prefixGate('/products/', '')('/blog'), false);
  assert.equal(prefixGate('/kit', 'i')('/BLOG'), false);
  assert.equal(prefixGate('/kit', 'i')('/\u212Ait'), true, 'non-ASCII input: left to the regex');
});
