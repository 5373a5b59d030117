import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { checkRule, compileTraitRule, parseRule } from '../core/rules/index.ts';
import type { Rule } from '../core/rules/index.ts';
import { generateDemo } from '../demo/generate-demo.ts';
import { accessKey } from './trait-access-key.ts';
import { literalPrefix } from '../core/rules/regex-prefix.ts';
import { TraitIndex } from './trait-index.ts';

const rule = (text: string): Rule => {
  const parsed = parseRule(text);
  assert.ok(parsed.ok, text);
  return parsed.rule;
};

test('access keys: equality, prefixes, and rules that have none', () => {
  assert.deepEqual(accessKey(rule('event == "purchase" and signals.value > 100')), {
    kind: 'eq',
    path: 'event',
    values: ['purchase'],
  });
  assert.deepEqual(accessKey(rule('url.path startsWith "/pricing" and device.type == "mobile"')), {
    kind: 'prefix',
    path: 'url.path',
    prefixes: ['/pricing'],
  });
  assert.deepEqual(accessKey(rule('device.type == "mobile" and url.host == "shop.example.com"')), {
    kind: 'eq',
    path: 'url.host',
    values: ['shop.example.com'],
  });
  assert.deepEqual(accessKey(rule('url.path startsWith "/pricing" or url.path startsWith "/plans"')), {
    kind: 'prefix',
    path: 'url.path',
    prefixes: ['/pricing', '/plans'],
  });
  assert.equal(accessKey(rule('url.path startsWith "/p"')), undefined, 'too short to key on');
  assert.deepEqual(accessKey(rule('url.path contains "shoe"')), {
    kind: 'contains',
    path: 'url.path',
    needle: 'shoe',
  });
  assert.equal(
    accessKey(rule('url.path contains "ab" ')),
    undefined,
    'a short needle matches nearly everything',
  );
  assert.equal(
    accessKey(rule('url.path contains "shoe" or url.path contains "boot"')),
    undefined,
    'two needles could both match one event: the rule would be listed twice',
  );
  assert.equal(
    accessKey(rule('signals.category in ("a", "b")')),
    undefined,
    'signals may be lists or numbers',
  );
  assert.equal(accessKey(rule('not (event == "purchase")')), undefined);
  assert.equal(accessKey(rule('event == "a" or url.path contains "x"')), undefined);
  assert.equal(accessKey(rule('url.path matches /^\\/products\\/[0-9]+$/i')), undefined, 'case-insensitive');
});

test('the literal prefix of an anchored regular expression', () => {
  assert.equal(literalPrefix('^\\/products\\/[0-9]+$'), '/products/');
  assert.equal(literalPrefix('^/shoes?'), '/shoe');
  assert.equal(literalPrefix('^/a+b'), '/a');
  assert.equal(literalPrefix('/products'), '');
  assert.equal(literalPrefix('^/a|^/b'), '');
  assert.equal(literalPrefix('^/blog(/.*)?$'), '/blog');
});

test('indexed candidates realise exactly what testing every rule on every event does (1,000 demo traits)', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  const demo = generateDemo({ profiles: 300, days: 30, seed: 11, now, ruleTraits: 1_000, segments: 10 });
  const traits = new Set<string>();
  const compiled = demo.traits.map((t, id) => {
    const checked = checkRule(t.rule, { scope: 'event', traits, segments: new Map() });
    assert.ok(checked.ok);
    return { id, test: compileTraitRule(checked.rule), key: accessKey(checked.rule) };
  });
  const index = new TraitIndex<(typeof compiled)[number]>();
  for (const c of compiled) index.add(c, c.key);
  let events = 0;
  let matches = 0;
  for (const batch of demo.batches(1_000)) {
    for (const raw of batch) {
      const url = new URL(raw.url);
      const event: CollectedEvent = {
        uid: raw.uid,
        ids: raw.ids ?? {},
        type: raw.type,
        ts: raw.ts,
        url: {
          href: raw.url,
          host: url.host,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
        },
        referrer:
          raw.referrer === undefined ? undefined : { href: raw.referrer, host: new URL(raw.referrer).host },
        utm: {
          source: url.searchParams.get('utm_source') ?? undefined,
          medium: url.searchParams.get('utm_medium') ?? undefined,
          campaign: url.searchParams.get('utm_campaign') ?? undefined,
        },
        signals: raw.signals ?? {},
        geo: raw.geo,
        device: raw.device,
      };
      const naive = compiled.filter((c) => c.test(event)).map((c) => c.id);
      const indexed = index
        .candidates(event)
        .flat()
        .filter((c) => c.test(event))
        .map((c) => c.id)
        .sort((a, b) => a - b);
      assert.deepEqual(indexed, naive, `event ${raw.url}`);
      events++;
      matches += naive.length;
    }
  }
  assert.ok(events > 1_000 && matches > events, `${events} events, ${matches} realisations`);
});
