import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent } from '../core/event.ts';
import { checkRule, compileTraitRule, evaluateEvent, parseRule } from '../core/rules/index.ts';
import type { Rule } from '../core/rules/index.ts';
import { compileTraitRuleSource } from '../core/rules/compile-source.ts';
import { generateDemo } from '../demo/generate-demo.ts';
import { accessKey, keyedRule } from './trait-access-key.ts';
import { literalPrefix } from '../core/rules/regex-prefix.ts';
import { TraitIndex, type IndexedRule } from './trait-index.ts';

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
  assert.equal(accessKey(rule('url.path contains "shoe" or url.path contains "boot"')), undefined);
  assert.deepEqual(
    accessKey(rule('signals.category in ("a", "b")')),
    { kind: 'eq', path: 'signals.category', values: ['a', 'b'] },
    'a list-valued signal is looked up element by element',
  );
  assert.equal(accessKey(rule('not (event == "purchase")')), undefined);
  assert.equal(accessKey(rule('event == "a" or url.path contains "x"')), undefined);
  assert.deepEqual(accessKey(rule('url.path matches /^\\/Products\\/[0-9]+$/i')), {
    kind: 'folded',
    path: 'url.path',
    prefixes: ['/products/'],
  });
});

test('residuals: what is left to test once the key holds', () => {
  const residual = (text: string): Rule | undefined | 'none' => {
    const keyed = keyedRule(rule(text));
    return keyed === undefined ? 'none' : keyed.residual;
  };
  assert.equal(residual('url.path == "/a"'), undefined, 'the key decides');
  assert.equal(residual('geo.country in ("GB", "US")'), undefined);
  assert.equal(residual('url.path startsWith "/pricing"'), undefined);
  assert.equal(residual('url.path contains "shoe"'), undefined);
  assert.equal(residual('utm.source == "a" or utm.source == "b"'), undefined);
  assert.deepEqual(
    residual('url.path startsWith "/pricing" and device.type == "mobile"'),
    rule('device.type == "mobile"'),
  );
  assert.deepEqual(
    residual('event == "purchase" and signals.value > 100 and geo.city == "London"'),
    rule('event == "purchase" and signals.value > 100'),
    'the city is the key',
  );
  const regex = rule('url.path matches /^\\/products\\/[0-9]+$/');
  assert.deepEqual(
    residual('url.path matches /^\\/products\\/[0-9]+$/'),
    regex,
    'a prefix does not decide a regex',
  );
  assert.deepEqual(
    residual('url.path startsWith "/abcd" or url.path matches /^\\/abcd[0-9]/'),
    rule('url.path startsWith "/abcd" or url.path matches /^\\/abcd[0-9]/'),
  );
  assert.equal(residual('signals.value > 3'), 'none');
});

test('the literal prefix of an anchored regular expression', () => {
  assert.equal(literalPrefix('^\\/products\\/[0-9]+$'), '/products/');
  assert.equal(literalPrefix('^/shoes?'), '/shoe');
  assert.equal(literalPrefix('^/a+b'), '/a');
  assert.equal(literalPrefix('/products'), '');
  assert.equal(literalPrefix('^/a|^/b'), '');
  assert.equal(literalPrefix('^/blog(/.*)?$'), '/blog');
});

interface Version extends IndexedRule {
  id: number;
  test: (e: CollectedEvent) => boolean;
}

function indexOf(rules: readonly { rule: Rule; fromSeq?: number; untilSeq?: number }[]): {
  index: TraitIndex<Version>;
  versions: Version[];
} {
  const index = new TraitIndex<Version>();
  const versions = rules.map(({ rule: r, fromSeq = 0, untilSeq = Infinity }, id) => {
    const keyed = keyedRule(r);
    const test = compileTraitRuleSource(r);
    const v: Version = {
      id,
      test,
      fromSeq,
      untilSeq,
      residual: keyed === undefined ? test : keyed.residual && compileTraitRuleSource(keyed.residual),
    };
    index.add(v, keyed?.key);
    return v;
  });
  return { index, versions };
}

const realised = (index: TraitIndex<Version>, e: CollectedEvent, seq: number): number[] =>
  index
    .matches(e, seq, [])
    .map((v) => v.id)
    .sort((a, b) => a - b);

test('the index realises exactly what testing every rule does: random keyed rules and events', () => {
  // values that meet: prefixes of each other, case variants, and the characters RE2 folds to ASCII
  const word = fc.constantFrom(
    '/abcd',
    '/abcde',
    '/ABCD',
    '/abcd/1',
    '/\u212Abcd',
    '/\u017Fale',
    '/sale',
    'shoe',
    'x',
    '',
  );
  const value = fc.oneof(
    word,
    fc.integer({ min: 0, max: 3 }),
    fc.array(fc.oneof(word, fc.integer()), { maxLength: 3 }),
  );
  const path = fc.constantFrom('url.path', 'signals.tags', 'url.query.q', 'geo.city', 'event');
  const leaf: fc.Arbitrary<Rule> = fc.oneof(
    fc.record({
      type: fc.constant('cmp' as const),
      path,
      op: fc.constantFrom('==' as const, '!=' as const),
      value: word,
    }),
    fc.record({
      type: fc.constant('in' as const),
      path,
      values: fc.array(fc.oneof(word, fc.constant(1)), { minLength: 1, maxLength: 3 }),
      negated: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('str' as const),
      path,
      op: fc.constantFrom('startsWith' as const, 'contains' as const, 'endsWith' as const),
      value: word,
    }),
    fc.record({
      type: fc.constant('matches' as const),
      path,
      pattern: fc.constantFrom('^/abcd', '^\\/abcd\\/[0-9]', '^/sale', '^/ABCD', 'bcd'),
      flags: fc.constantFrom('' as const, 'i' as const),
    }),
  );
  const keyedShape: fc.Arbitrary<Rule> = fc.oneof(
    leaf,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      args: fc.array(leaf, { minLength: 2, maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('and' as const),
      args: fc.tuple(
        fc.record({ type: fc.constant('or' as const), args: fc.array(leaf, { minLength: 2, maxLength: 2 }) }),
        leaf,
      ),
    }),
  );
  const version = fc.record({
    rule: keyedShape,
    fromSeq: fc.constantFrom(0, 5),
    untilSeq: fc.constantFrom(Infinity, 5, 8),
  });
  const event = fc.record({
    path: word,
    city: word,
    type: word,
    q: word,
    tags: value,
  });
  fc.assert(
    fc.property(
      fc.array(version, { minLength: 1, maxLength: 25 }),
      fc.array(event, { minLength: 1, maxLength: 8 }),
      fc.nat(10),
      (rules, events, seq) => {
        const { index, versions } = indexOf(rules);
        for (const x of events) {
          const e: CollectedEvent = {
            uid: 'c',
            ids: {},
            type: x.type,
            ts: 0,
            url: { href: x.path, host: 'h', path: x.path, query: { q: x.q } },
            utm: {},
            signals: { tags: x.tags },
            geo: { city: x.city },
            device: {},
          };
          const naive = versions
            .filter((v) => seq >= v.fromSeq && seq < v.untilSeq && evaluateEvent(rules[v.id]!.rule, e))
            .map((v) => v.id);
          assert.deepEqual(realised(index, e, seq), naive);
        }
      },
    ),
    { numRuns: 1_500 },
  );
});

test('indexed rules realise exactly what testing every rule on every event does (1,000 demo traits)', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  const demo = generateDemo({ profiles: 300, days: 30, seed: 11, now, ruleTraits: 1_000, segments: 10 });
  const traits = new Set<string>();
  const rules = demo.traits.map((t) => {
    const checked = checkRule(t.rule, { scope: 'event', traits, segments: new Map() });
    assert.ok(checked.ok);
    return { rule: checked.rule };
  });
  const naiveTests = rules.map((r) => compileTraitRule(r.rule));
  const { index } = indexOf(rules);
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
      const naive = naiveTests.flatMap((t, id) => (t(event) ? [id] : []));
      assert.deepEqual(realised(index, event, 1), naive, `event ${raw.url}`);
      events++;
      matches += naive.length;
    }
  }
  assert.ok(events > 1_000 && matches > events, `${events} events, ${matches} realisations`);
});
