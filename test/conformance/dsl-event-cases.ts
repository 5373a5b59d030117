import type { CollectedEvent } from '../../src/core/event.ts';

/** One trait rule and the events it must (and must not) match. */
export interface EventRuleCases {
  rule: string;
  /** `docs` for the examples of docs/rule-language.md, `semantics` for the rules of its "Meaning" section */
  source: 'docs' | 'semantics';
  cases: { name: string; event: CollectedEvent; expected: boolean }[];
}

/** A pageview with overrides. Example: `ev({ type: 'purchase', signals: { value: 150 } })`. */
export function ev(over: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts: 0, utm: {}, signals: {}, geo: {}, device: {}, ...over };
}

/** A URL's parts. Example: `url('shop.example.com', '/pricing')`. */
export function url(host: string, path: string, query: Record<string, string> = {}): CollectedEvent['url'] {
  const qs = new URLSearchParams(query).toString();
  return { href: `https://${host}${path}${qs ? `?${qs}` : ''}`, host, path, query };
}

const shop = 'shop.example.com';

/** Every trait rule of docs/rule-language.md, and the semantics of absent paths, lists, numbers and case. */
export const DSL_EVENT_CASES: EventRuleCases[] = [
  {
    rule: 'url.path startsWith "/pricing"',
    source: 'docs',
    cases: [
      { name: 'the pricing page', event: ev({ url: url(shop, '/pricing') }), expected: true },
      {
        name: 'below the pricing page',
        event: ev({ url: url(shop, '/pricing/enterprise') }),
        expected: true,
      },
      { name: 'another page', event: ev({ url: url(shop, '/about') }), expected: false },
      { name: 'case-sensitive', event: ev({ url: url(shop, '/Pricing') }), expected: false },
      { name: 'no URL (absent path)', event: ev(), expected: false },
    ],
  },
  {
    rule: 'event == "purchase" and signals.value > 100',
    source: 'docs',
    cases: [
      { name: 'purchase of 150', event: ev({ type: 'purchase', signals: { value: 150 } }), expected: true },
      {
        name: 'numeric string "120"',
        event: ev({ type: 'purchase', signals: { value: '120' } }),
        expected: true,
      },
      {
        name: 'exactly 100 is not > 100',
        event: ev({ type: 'purchase', signals: { value: 100 } }),
        expected: false,
      },
      { name: '100.5', event: ev({ type: 'purchase', signals: { value: 100.5 } }), expected: true },
      { name: 'a pageview of 150', event: ev({ signals: { value: 150 } }), expected: false },
      { name: 'no value', event: ev({ type: 'purchase' }), expected: false },
      {
        name: 'non-numeric string',
        event: ev({ type: 'purchase', signals: { value: 'abc' } }),
        expected: false,
      },
      {
        name: 'boolean value (type mismatch)',
        event: ev({ type: 'purchase', signals: { value: true } }),
        expected: false,
      },
      {
        name: 'list with one element > 100',
        event: ev({ type: 'purchase', signals: { value: [50, 150] } }),
        expected: true,
      },
      {
        name: 'list with none > 100',
        event: ev({ type: 'purchase', signals: { value: [50, 99] } }),
        expected: false,
      },
    ],
  },
  {
    rule: 'url.host == "shop.example.com" and signals.category in ("shoes", "boots")',
    source: 'docs',
    cases: [
      {
        name: 'boots on the shop',
        event: ev({ url: url(shop, '/'), signals: { category: 'boots' } }),
        expected: true,
      },
      {
        name: 'hats on the shop',
        event: ev({ url: url(shop, '/'), signals: { category: 'hats' } }),
        expected: false,
      },
      {
        name: 'boots elsewhere',
        event: ev({ url: url('blog.example.com', '/'), signals: { category: 'boots' } }),
        expected: false,
      },
      {
        name: 'list holding boots',
        event: ev({ url: url(shop, '/'), signals: { category: ['sale', 'boots'] } }),
        expected: true,
      },
      { name: 'no category', event: ev({ url: url(shop, '/') }), expected: false },
      {
        name: 'case-sensitive',
        event: ev({ url: url(shop, '/'), signals: { category: 'Boots' } }),
        expected: false,
      },
    ],
  },
  {
    rule: 'referrer.host endsWith ".google.com" or utm.source == "google"',
    source: 'docs',
    cases: [
      {
        name: 'from www.google.com',
        event: ev({ referrer: { href: 'https://www.google.com/', host: 'www.google.com' } }),
        expected: true,
      },
      { name: 'utm_source=google', event: ev({ utm: { source: 'google' } }), expected: true },
      {
        name: 'google.com has no leading dot',
        event: ev({ referrer: { href: 'https://google.com/', host: 'google.com' } }),
        expected: false,
      },
      { name: 'utm source Google (case)', event: ev({ utm: { source: 'Google' } }), expected: false },
      { name: 'neither', event: ev({ utm: { source: 'bing' } }), expected: false },
    ],
  },
  {
    rule: 'signals.plan exists and not (signals.plan == "free")',
    source: 'docs',
    cases: [
      { name: 'plan pro', event: ev({ signals: { plan: 'pro' } }), expected: true },
      { name: 'plan free', event: ev({ signals: { plan: 'free' } }), expected: false },
      { name: 'no plan', event: ev(), expected: false },
      { name: 'empty plan exists', event: ev({ signals: { plan: '' } }), expected: true },
    ],
  },
  {
    rule: 'url.path matches /^\\/products\\/[0-9]+$/',
    source: 'docs',
    cases: [
      { name: 'a product page', event: ev({ url: url(shop, '/products/123') }), expected: true },
      { name: 'not a number', event: ev({ url: url(shop, '/products/abc') }), expected: false },
      { name: 'below a product', event: ev({ url: url(shop, '/products/123/reviews') }), expected: false },
      { name: 'no URL', event: ev(), expected: false },
    ],
  },
  {
    rule: 'signals.plan != "free" and signals.tier not in ("gold", "silver")',
    source: 'semantics',
    cases: [
      { name: 'absent paths: != and not in are true', event: ev(), expected: true },
      { name: 'plan free', event: ev({ signals: { plan: 'free' } }), expected: false },
      { name: 'tier gold', event: ev({ signals: { tier: 'gold' } }), expected: false },
      {
        name: 'list: != true when no element equals',
        event: ev({ signals: { plan: ['pro', 'team'] } }),
        expected: true,
      },
      {
        name: 'list: != false when an element equals',
        event: ev({ signals: { plan: ['pro', 'free'] } }),
        expected: false,
      },
      { name: 'type mismatch: a number is != "free"', event: ev({ signals: { plan: 3 } }), expected: true },
    ],
  },
  {
    rule: 'event == "click" AND NOT url.query.ref EXISTS OR url.path MATCHES /^\\/SALE/i # comment',
    source: 'semantics',
    cases: [
      { name: 'keywords are case-insensitive: a click', event: ev({ type: 'click' }), expected: true },
      {
        name: 'and binds tighter than or: click with ref',
        event: ev({ type: 'click', url: url(shop, '/x', { ref: 'a' }) }),
        expected: false,
      },
      { name: 'matches /i ignores case', event: ev({ url: url(shop, '/sale/winter') }), expected: true },
      { name: 'neither', event: ev({ url: url(shop, '/home') }), expected: false },
    ],
  },
  {
    rule: 'signals.tags == "sale" and signals.count >= 2 and url.query.page > 1 and signals.brand < "M"',
    source: 'semantics',
    cases: [
      {
        name: 'list element, number, numeric query string, string order',
        event: ev({
          url: url(shop, '/', { page: '2' }),
          signals: { tags: ['sale', 'winter'], count: 2, brand: 'Acme' },
        }),
        expected: true,
      },
      {
        name: 'query page "1" is not > 1',
        event: ev({
          url: url(shop, '/', { page: '1' }),
          signals: { tags: ['sale'], count: 2, brand: 'Acme' },
        }),
        expected: false,
      },
      { name: 'signals.constructor is not a signal', event: ev({ signals: {} }), expected: false },
    ],
  },
  {
    rule: 'signals.constructor exists or url.query.__proto__ exists',
    source: 'semantics',
    cases: [{ name: 'prototype keys are absent', event: ev({ url: url(shop, '/') }), expected: false }],
  },
];
