import fc from 'fast-check';
import type { CmpOp, Duration, Literal, Rule, Window } from '../../core/rules/index.ts';

/*
 * fast-check arbitraries for the audience engine's agreement tests: small worlds of profiles whose
 * times sit on a 6-hour grid (often 1 ms off it), and segment rules whose windows, dates and durations
 * fall on the same grid, so that window edges, UTC day edges and lifetimes are hit exactly.
 */

/** The grid's origin, a UTC midnight. */
export const T0 = Date.UTC(2026, 9, 15);
const GRID = 6 * 3_600_000;

/** A time on the grid, `k` steps from T0, often 1 ms off it. Example: `gridTime(-8, 3)` samples 2 days back. */
export function gridTime(minSteps: number, maxSteps: number): fc.Arbitrary<number> {
  return fc
    .tuple(
      fc.integer({ min: minSteps, max: maxSteps }),
      fc.oneof(
        { arbitrary: fc.constantFrom(0, 0, 1, -1), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max: GRID - 1 }), weight: 1 },
      ),
    )
    .map(([k, off]) => T0 + k * GRID + off);
}

/** One profile of a world: its events, realisations and IDs. */
export interface WorldProfile {
  events: { ts: number; geo: number; device: number; pageview: boolean }[];
  realisations: { traitId: number; ts: number }[];
  maid: boolean;
  /** removed from the store after it is built */
  removed: boolean;
}

/** Geo and device values of the world's events, picked by index. */
export const GEOS = [{}, { country: 'GB', city: 'London' }, { country: 'GB', city: '5' }, { country: 'US' }];
export const DEVICES = [{}, { type: 'mobile', os: 'iOS' }, { type: 'desktop' }];

/** Traits the world realises: 1 to 3 are bound (120-day, 2-day and 1-day lifetimes), 9 is not. */
export const WORLD_TRAITS = [1, 2, 3, 9];

/** Up to 10 realisations of one trait a millisecond apart: a day's count levels filled, and past them. */
const burst = fc
  .record({
    traitId: fc.constantFrom(...WORLD_TRAITS),
    ts: gridTime(-12, 4),
    n: fc.integer({ min: 2, max: 10 }),
  })
  .map(({ traitId, ts, n }) => Array.from({ length: n }, (_, i) => ({ traitId, ts: ts + i })));

export const worldProfile: fc.Arbitrary<WorldProfile> = fc.record(
  {
    events: fc.array(
      fc.record(
        {
          ts: gridTime(-24, 2),
          geo: fc.nat({ max: GEOS.length - 1 }),
          device: fc.nat({ max: DEVICES.length - 1 }),
          pageview: fc.boolean(),
        },
        { noNullPrototype: true },
      ),
      { maxLength: 4 },
    ),
    realisations: fc
      .tuple(
        fc.array(
          fc.record(
            { traitId: fc.constantFrom(...WORLD_TRAITS), ts: gridTime(-12, 4) },
            { noNullPrototype: true },
          ),
          { maxLength: 6 },
        ),
        fc.option(burst),
      )
      .map(([spread, many]) => (many === null ? spread : [...spread, ...many])),
    maid: fc.boolean(),
    removed: fc.nat({ max: 3 }).map((n) => n === 0),
  },
  { noNullPrototype: true },
);

const durations: Duration[] = [
  { amount: 90, unit: 'm' },
  { amount: 6, unit: 'h' },
  { amount: 12, unit: 'h' },
  { amount: 1, unit: 'd' },
  { amount: 2, unit: 'd' },
  { amount: 3, unit: 'd' },
];
const duration = fc.constantFrom(...durations);
const date = gridTime(-12, 4).map((t) => new Date(t).toISOString());
const op = fc.constantFrom<CmpOp>('==', '!=', '<', '<=', '>', '>=');
const literal = fc.constantFrom<Literal>('GB', 'London', '5', 'mobile', 'iOS', '', 0, 1, 2, 3, 5, true);
const path = fc.constantFrom(
  'geo.country',
  'geo.city',
  'device.type',
  'device.os',
  'visits',
  'pageviews',
  'first_seen',
  'ids.maid',
  'url.path',
);
const window: fc.Arbitrary<Window> = fc.oneof(
  fc.record(
    { type: fc.constant('count' as const), op, value: fc.nat({ max: 9 }) },
    { noNullPrototype: true },
  ),
  fc.record({ type: fc.constant('within' as const), duration }, { noNullPrototype: true }),
  fc.record({ type: fc.constantFrom('before' as const, 'after' as const), date }, { noNullPrototype: true }),
);

const leaf: fc.Arbitrary<Rule> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        type: fc.constant('trait' as const),
        code: fc.constantFrom('t1', 't2', 't3', 'ghost'),
        windows: fc.array(window, { maxLength: 3 }),
      },
      { noNullPrototype: true },
    ),
    weight: 4,
  },
  fc.record({ type: fc.constant('segment' as const), code: fc.constantFrom('s1', 's2', 's3', 'nope') }),
  fc.record({ type: fc.constant('cmp' as const), path, op, value: literal }, { noNullPrototype: true }),
  fc.record(
    {
      type: fc.constant('in' as const),
      path,
      values: fc.array(literal, { minLength: 1, maxLength: 3 }),
      negated: fc.boolean(),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('str' as const),
      path: fc.constantFrom('geo.city', 'geo.country', 'device.os', 'visits'),
      op: fc.constantFrom('contains' as const, 'startsWith' as const, 'endsWith' as const),
      value: fc.constantFrom('Lon', 'on', '', 'G', '5'),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('matches' as const),
      path: fc.constantFrom('geo.city', 'device.type', 'visits'),
      pattern: fc.constantFrom('^L', 'o', '(', '^[0-9]+$'),
      flags: fc.constantFrom('' as const, 'i' as const),
    },
    { noNullPrototype: true },
  ),
  fc.record({
    type: fc.constant('exists' as const),
    path: fc.constantFrom(
      'geo.city',
      'geo.region',
      'device.os',
      'first_seen',
      'visits',
      'ids.maid',
      'ids.idfa',
      'url.path',
    ),
  }),
  fc.record(
    {
      type: fc.constant('time' as const),
      path: fc.constantFrom('first_seen', 'last_seen', 'visits'),
      op: fc.constant('within' as const),
      duration,
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('time' as const),
      path: fc.constantFrom('first_seen', 'last_seen', 'geo.city'),
      op: fc.constantFrom('before' as const, 'after' as const),
      date,
    },
    { noNullPrototype: true },
  ),
);

/** Segment rules over the world's names: every operator, windows on the grid, `not`, `segment:`. */
export const worldRule: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.record(
      {
        type: fc.constantFrom('and' as const, 'or' as const),
        args: fc.array(tie('rule'), { minLength: 2, maxLength: 3 }),
      },
      { noNullPrototype: true },
    ),
    fc.record({ type: fc.constant('not' as const), arg: tie('rule') }, { noNullPrototype: true }),
  ),
})).rule;

/** Rules without `segment:` references, for the segments others refer to. */
export const baseRule: fc.Arbitrary<Rule> = worldRule.filter((r) => !JSON.stringify(r).includes('"segment"'));

/** Times of evaluation on the grid (often 1 ms off), from a day before T0 to a day after. */
export const evaluationTime = gridTime(-4, 8);
