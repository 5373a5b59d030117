import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, urlParts, utmFromQuery } from './url-parts.ts';

void test('urlParts lowercases the host, drops the port and keeps the first value of each query key', () => {
  assert.deepEqual(urlParts('https://Shop.Example.com:8443/pricing/plans?utm_source=news&a=1&a=2#top'), {
    href: 'https://shop.example.com:8443/pricing/plans?utm_source=news&a=1&a=2#top',
    host: 'shop.example.com',
    path: '/pricing/plans',
    query: { utm_source: 'news', a: '1' },
  });
});

void test('urlParts refuses what is not an absolute http(s) URL', () => {
  for (const text of ['/pricing', 'ftp://example.com/', 'javascript:alert(1)', 'not a url', '']) {
    assert.equal(urlParts(text), undefined, text);
  }
});

void test('parseQuery decodes form encoding, keeps raw text for bad escapes, and ignores inherited names', () => {
  assert.deepEqual(parseQuery('?q=red+shoes&city=S%C3%A3o%20Paulo&bad=%E0%A4%A&flag&&=x'), {
    q: 'red shoes',
    city: 'São Paulo',
    bad: '%E0%A4%A',
    flag: '',
  });
  assert.deepEqual(parseQuery('constructor=1&toString=2'), { constructor: '1', toString: '2' });
  assert.deepEqual(parseQuery(''), {});
});

void test('utmFromQuery maps utm_* parameters to the utm fields', () => {
  const query = parseQuery(
    '?utm_source=news&utm_medium=email&utm_campaign=winter&utm_term=boots&utm_content=hero&utm_other=x',
  );
  assert.deepEqual(utmFromQuery(query), {
    source: 'news',
    medium: 'email',
    campaign: 'winter',
    term: 'boots',
    content: 'hero',
  });
  assert.deepEqual(utmFromQuery({ utm_source: 'news' }), { source: 'news' });
  assert.deepEqual(utmFromQuery({ a: '1' }), {});
});
