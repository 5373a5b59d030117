import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryString } from './query-string.ts';

// [query, expected]: the rules of Fastify's default parser (fast-querystring), which this one replaces
const cases: [string, Record<string, string | string[]>][] = [
  ['', {}],
  ['site=k&uid=c-1', { site: 'k', uid: 'c-1' }],
  ['s.tag=a&s.tag=b&s.tag=c', { 's.tag': ['a', 'b', 'c'] }],
  ['q=a+b%21', { q: 'a b!' }],
  ['url=https%3A%2F%2Fshop.example.com%2F%3Fa%3D1', { url: 'https://shop.example.com/?a=1' }],
  ['a=1=2', { a: '1=2' }],
  ['flag&x=', { flag: '', x: '' }],
  ['bad=%zz&half=%E2%82', { bad: '%zz', half: '%E2%82' }],
  ['%61+b=c', { 'a b': 'c' }],
  ['&&a=1&', { a: '1' }],
  ['=v', { '': 'v' }],
];

void test('parseQueryString reads a query as Fastify did: +, escapes, bad escapes, repeats', () => {
  for (const [query, expected] of cases) assert.deepEqual({ ...parseQueryString(query) }, expected, query);
});

void test('parseQueryString keeps __proto__ and constructor as plain keys', () => {
  const parsed = parseQueryString('__proto__=x&constructor=y');
  assert.equal('hasOwnProperty' in parsed, false, 'no Object.prototype behind it');
  assert.deepEqual(Object.keys(parsed), ['__proto__', 'constructor']);
  assert.equal(parsed.constructor, 'y');
});
