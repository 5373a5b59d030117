import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEnricher } from './enricher.ts';
import { createUserAgentParser } from './user-agent-parser.ts';

void test('createEnricher caches URL parts as shared frozen objects, and remembers bad URLs', () => {
  const enrich = createEnricher({});
  const first = enrich.url('https://a.example/p?utm_source=x');
  assert.deepEqual(first, {
    href: 'https://a.example/p?utm_source=x',
    host: 'a.example',
    path: '/p',
    query: { utm_source: 'x' },
  });
  assert.equal(enrich.url('https://a.example/p?utm_source=x'), first);
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first?.query));
  assert.equal(enrich.url('ftp://a.example/'), undefined);
  assert.equal(enrich.url('ftp://a.example/'), undefined);
  assert.deepEqual(enrich.utm(first?.query ?? {}), { source: 'x' });
});

void test('createEnricher without caching gives fresh URL parts; without sources gives empty geo and device', () => {
  const enrich = createEnricher({ urlCacheSize: 0 });
  assert.notEqual(enrich.url('https://a.example/'), enrich.url('https://a.example/'));
  assert.deepEqual(enrich.geo('81.2.69.160'), {});
  assert.deepEqual(enrich.device('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)'), {});
  assert.equal(enrich.truncateIp('81.2.69.160'), '81.2.69.0');
});

void test('createEnricher uses the user-agent parser it is given', () => {
  const enrich = createEnricher({ userAgent: createUserAgentParser(10) });
  assert.equal(
    enrich.device('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').type,
    'bot',
  );
  assert.deepEqual(enrich.device(undefined), {});
});
