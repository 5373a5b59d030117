import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogError } from './catalog.ts';
import { normaliseOrigin, normaliseOrigins, originAllowed } from './site-origin.ts';

// [input, expected normal form or undefined for refused]
const cases: readonly [string, string | undefined][] = [
  ['https://shop.example.com', 'https://shop.example.com'],
  ['HTTPS://Shop.Example.COM', 'https://shop.example.com'],
  ['https://shop.example.com/', 'https://shop.example.com'],
  ['  https://shop.example.com  ', 'https://shop.example.com'],
  ['https://shop.example.com:443', 'https://shop.example.com'],
  ['http://shop.example.com:80', 'http://shop.example.com'],
  ['https://shop.example.com:8443', 'https://shop.example.com:8443'],
  ['http://localhost:8080', 'http://localhost:8080'],
  ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
  ['http://[::1]:3000', 'http://[::1]:3000'],
  ['https://bücher.de', 'https://xn--bcher-kva.de'],
  ['*', '*'],
  [' * ', '*'],
  ['https://shop.example.com/cart', undefined],
  ['https://shop.example.com?x=1', undefined],
  ['https://shop.example.com#top', undefined],
  ['https://user:pw@shop.example.com', undefined],
  ['https://*.example.com', undefined],
  ['*.example.com', undefined],
  ['shop.example.com', undefined],
  ['ftp://shop.example.com', undefined],
  ['javascript:alert(1)', undefined],
  ['https://', undefined],
  ['https://shop.example.com:99999', undefined],
  ['https://-bad.example.com', undefined],
  ['https://a..b', undefined],
  ['null', undefined],
  ['', undefined],
];

void test('normaliseOrigin keeps scheme, host and port only, lowercased, and refuses the rest', () => {
  for (const [input, expected] of cases) {
    assert.equal(normaliseOrigin(input), expected, JSON.stringify(input));
  }
});

function invalid(pattern: RegExp) {
  return (e: unknown): boolean =>
    e instanceof CatalogError && e.code === 'invalid' && pattern.test(e.message);
}

void test('normaliseOrigins normalises and deduplicates, keeping first appearance order', () => {
  assert.deepEqual(
    normaliseOrigins(['https://B.com', 'https://a.com', 'https://b.com/', 'https://b.com:443']),
    ['https://b.com', 'https://a.com'],
  );
  assert.deepEqual(normaliseOrigins(['*', '*']), ['*']);
});

void test('normaliseOrigins refuses a bad origin by name, * with others, and an empty list', () => {
  assert.throws(
    () => normaliseOrigins(['https://a.com', 'https://a.com/x']),
    invalid(/'https:\/\/a\.com\/x'/),
  );
  assert.throws(() => normaliseOrigins(['*', 'https://a.com']), invalid(/must be the only one/));
  assert.throws(() => normaliseOrigins([]), invalid(/non-empty/));
  assert.throws(() => normaliseOrigins('https://a.com'), invalid(/non-empty array/));
  assert.throws(() => normaliseOrigins([42]), invalid(/'42'/));
});

void test('originAllowed matches the normal form, and only * allows a missing origin', () => {
  const allowed = ['https://shop.example.com', 'http://localhost:8080'];
  assert.equal(originAllowed(allowed, 'https://SHOP.example.com'), true);
  assert.equal(originAllowed(allowed, 'https://shop.example.com:443'), true);
  assert.equal(originAllowed(allowed, 'http://localhost:8080'), true);
  assert.equal(originAllowed(allowed, 'http://shop.example.com'), false);
  assert.equal(originAllowed(allowed, 'https://evil.example.com'), false);
  assert.equal(originAllowed(allowed, 'http://localhost:8081'), false);
  assert.equal(originAllowed(allowed, '*'), false);
  assert.equal(originAllowed(allowed, 'null'), false);
  assert.equal(originAllowed(allowed, undefined), false);
  assert.equal(originAllowed(['*'], undefined), true);
  assert.equal(originAllowed(['*'], 'https://anything.example'), true);
});
