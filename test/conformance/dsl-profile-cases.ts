import type { CaseCatalog, ProfileFixture } from './memory-profile-view.ts';

/** One segment rule and the profiles (at `NOW` unless a case says otherwise) it must (and must not) hold. */
export interface ProfileRuleCases {
  rule: string;
  source: 'docs' | 'seed' | 'semantics';
  cases: { name: string; profile: ProfileFixture; expected: boolean; now?: number }[];
}

export const DAY = 86_400_000;
/** The time of evaluation of every profile case: 2026-10-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 9, 15, 12);

/** The tenant the cases are written against. `ghost` is known to the catalog check but not bound. */
export const CASE_CATALOG: CaseCatalog = {
  traits: {
    pricing_visitor: { id: 1, lifetimeDays: 120 },
    shoes: { id: 2, lifetimeDays: 120 },
    boots: { id: 3, lifetimeDays: 120 },
    purchaser: { id: 4, lifetimeDays: 120 },
    iab_239: { id: 5, lifetimeDays: 60 },
  },
  segments: {
    london_returning: { id: 10, refs: [] },
    recent_buyers: { id: 11, refs: [] },
  },
};

const ago = (days: number, ms = 0): number => NOW - days * DAY + ms;
const pricing = (...times: number[]): ProfileFixture['realisations'] => ({ pricing_visitor: times });
const londoner = (visits: number, pricingTimes: number[]): ProfileFixture => ({
  attributes: { 'geo.city': 'London', visits },
  realisations: pricing(...pricingTimes),
});

/** Every segment rule of docs/rule-language.md, the seed scenario, and the edges of windows. */
export const DSL_PROFILE_CASES: ProfileRuleCases[] = [
  {
    rule: 'trait:pricing_visitor',
    source: 'docs',
    cases: [
      { name: 'realised 10 days ago', profile: { realisations: pricing(ago(10)) }, expected: true },
      { name: 'never realised', profile: {}, expected: false },
      {
        name: 'exactly at the lifetime (120d) is forgotten',
        profile: { realisations: pricing(ago(120)) },
        expected: false,
      },
      { name: '1 ms inside the lifetime', profile: { realisations: pricing(ago(120, 1)) }, expected: true },
    ],
  },
  {
    rule: 'trait:pricing_visitor[count >= 2, within 30d]',
    source: 'docs',
    cases: [
      { name: 'twice in 30 days', profile: { realisations: pricing(ago(1), ago(29)) }, expected: true },
      { name: 'once', profile: { realisations: pricing(ago(1)) }, expected: false },
      {
        name: 'second exactly at now-30d is out',
        profile: { realisations: pricing(ago(1), ago(30)) },
        expected: false,
      },
      {
        name: 'second 1 ms later is in',
        profile: { realisations: pricing(ago(1), ago(30, 1)) },
        expected: true,
      },
      { name: 'one exactly at now is in', profile: { realisations: pricing(NOW, ago(2)) }, expected: true },
      {
        name: 'older ones do not count',
        profile: { realisations: pricing(ago(40), ago(50), ago(1)) },
        expected: false,
      },
    ],
  },
  {
    rule: 'trait:pricing_visitor[within 7d] and geo.city == "London" and visits >= 2 and not trait:purchaser',
    source: 'docs',
    cases: [
      { name: 'a returning Londoner who priced', profile: londoner(2, [ago(3)]), expected: true },
      {
        name: 'who also bought',
        profile: {
          ...londoner(2, [ago(3)]),
          realisations: { pricing_visitor: [ago(3)], purchaser: [ago(1)] },
        },
        expected: false,
      },
      {
        name: 'city is case-sensitive',
        profile: { attributes: { 'geo.city': 'london', visits: 2 }, realisations: pricing(ago(3)) },
        expected: false,
      },
      { name: 'one visit', profile: londoner(1, [ago(3)]), expected: false },
      { name: 'priced 8 days ago', profile: londoner(5, [ago(8)]), expected: false },
      {
        name: 'no visit count',
        profile: { attributes: { 'geo.city': 'London' }, realisations: pricing(ago(3)) },
        expected: false,
      },
    ],
  },
  {
    rule: '(trait:shoes or trait:boots) and device.type in ("mobile", "tablet")',
    source: 'docs',
    cases: [
      {
        name: 'shoes on mobile',
        profile: { attributes: { 'device.type': 'mobile' }, realisations: { shoes: [ago(5)] } },
        expected: true,
      },
      {
        name: 'boots on tablet',
        profile: { attributes: { 'device.type': 'tablet' }, realisations: { boots: [ago(5)] } },
        expected: true,
      },
      { name: 'neither trait', profile: { attributes: { 'device.type': 'mobile' } }, expected: false },
      {
        name: 'shoes on desktop',
        profile: { attributes: { 'device.type': 'desktop' }, realisations: { shoes: [ago(5)] } },
        expected: false,
      },
      { name: 'shoes, device unknown', profile: { realisations: { shoes: [ago(5)] } }, expected: false },
    ],
  },
  {
    rule: 'segment:london_returning and not segment:recent_buyers',
    source: 'docs',
    cases: [
      { name: 'in london_returning only', profile: { segments: ['london_returning'] }, expected: true },
      { name: 'in both', profile: { segments: ['london_returning', 'recent_buyers'] }, expected: false },
      { name: 'in neither', profile: {}, expected: false },
    ],
  },
  {
    rule: 'trait:iab_239[within 90d] and geo.country == "GB"',
    source: 'docs',
    cases: [
      {
        name: 'realised 10 days ago, in GB',
        profile: { attributes: { 'geo.country': 'GB' }, realisations: { iab_239: [ago(10)] } },
        expected: true,
      },
      {
        name: '70 days ago is past the 60-day lifetime',
        profile: { attributes: { 'geo.country': 'GB' }, realisations: { iab_239: [ago(70)] } },
        expected: false,
      },
      {
        name: 'in the US',
        profile: { attributes: { 'geo.country': 'US' }, realisations: { iab_239: [ago(10)] } },
        expected: false,
      },
    ],
  },
  {
    rule: 'first_seen within 14d',
    source: 'docs',
    cases: [
      { name: 'exactly now-14d is out', profile: { attributes: { first_seen: ago(14) } }, expected: false },
      { name: '1 ms later is in', profile: { attributes: { first_seen: ago(14, 1) } }, expected: true },
      { name: 'at now', profile: { attributes: { first_seen: NOW } }, expected: true },
      { name: 'after now', profile: { attributes: { first_seen: NOW + 1 } }, expected: false },
      { name: 'never seen', profile: {}, expected: false },
    ],
  },
  {
    rule: 'last_seen before 2026-11-01',
    source: 'docs',
    cases: [
      {
        name: 'exactly at the date is in (inclusive)',
        profile: { attributes: { last_seen: Date.UTC(2026, 10, 1) } },
        expected: true,
      },
      {
        name: '1 ms after is out',
        profile: { attributes: { last_seen: Date.UTC(2026, 10, 1) + 1 } },
        expected: false,
      },
      { name: 'earlier', profile: { attributes: { last_seen: ago(3) } }, expected: true },
      { name: 'never seen', profile: {}, expected: false },
    ],
  },
  {
    rule: 'trait:pricing_visitor[within 30d] and geo.city == "London" and visits >= 2',
    source: 'seed',
    cases: [
      { name: 'a returning Londoner who priced last week', profile: londoner(2, [ago(7)]), expected: true },
      { name: 'priced exactly 30 days ago: out', profile: londoner(3, [ago(30)]), expected: false },
      { name: 'priced 1 ms inside 30 days: in', profile: londoner(3, [ago(30, 1)]), expected: true },
      {
        name: 'the same profile a day later has left',
        profile: londoner(3, [ago(29)]),
        now: NOW + DAY,
        expected: false,
      },
      {
        name: 'in Paris',
        profile: { attributes: { 'geo.city': 'Paris', visits: 2 }, realisations: pricing(ago(1)) },
        expected: false,
      },
      { name: 'first visit', profile: londoner(1, [ago(1)]), expected: false },
    ],
  },
  {
    rule: 'trait:pricing_visitor[before 2026-10-01] or trait:purchaser[after 2026-10-01T00:00:00Z]',
    source: 'semantics',
    cases: [
      {
        name: 'before is inclusive',
        profile: { realisations: pricing(Date.UTC(2026, 9, 1)) },
        expected: true,
      },
      {
        name: 'after the before date',
        profile: { realisations: pricing(Date.UTC(2026, 9, 1) + 1) },
        expected: false,
      },
      {
        name: 'after is exclusive',
        profile: { realisations: { purchaser: [Date.UTC(2026, 9, 1)] } },
        expected: false,
      },
      {
        name: '1 ms after is in',
        profile: { realisations: { purchaser: [Date.UTC(2026, 9, 1) + 1] } },
        expected: true,
      },
    ],
  },
  {
    rule: 'trait:ghost or (ids.maid exists and geo.city != "Paris" and trait:shoes[count == 0])',
    source: 'semantics',
    cases: [
      {
        name: 'unbound trait is false; maid, no shoes, city absent',
        profile: { ids: ['maid'], realisations: { ghost: [ago(1)] } },
        expected: true,
      },
      { name: 'no maid', profile: { ids: ['partner_ttd'] }, expected: false },
      { name: 'has shoes', profile: { ids: ['maid'], realisations: { shoes: [ago(1)] } }, expected: false },
      { name: 'in Paris', profile: { ids: ['maid'], attributes: { 'geo.city': 'Paris' } }, expected: false },
    ],
  },
];
