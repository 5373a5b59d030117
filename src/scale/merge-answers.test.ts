import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATHERED_ROUTES, mergeAnswers, partitionInsightsQuery } from './merge-answers.ts';
import type { ShardAnswer } from './merge-answers.ts';
import { ServiceError } from '../core/service-error.ts';

const T0 = '2026-12-07T10:00:00.000Z';
const T1 = '2026-12-07T10:00:01.000Z';
const ok = (body: unknown): ShardAnswer => ({ status: 200, body });

test('every route of the brief is gathered; an unknown route or no answers is a clear error', () => {
  assert.deepEqual([...GATHERED_ROUTES].sort(), [
    'GET /v1/dashboard',
    'GET /v1/partners/:code/match-rate',
    'GET /v1/segments/:code/insights',
    'GET /v1/segments/:code/size',
    'GET /v1/segments/:code/trend',
    'POST /v1/audience/overlap',
    'POST /v1/audience/size',
  ]);
  assert.throws(() => mergeAnswers('GET /v1/profiles/:uid', [ok({})]), /not a gathered route/);
  assert.throws(() => mergeAnswers('GET /v1/dashboard', []), /no partition answers/);
});

test('an error answer of any partition is the answer, unchanged (the first one)', () => {
  const notFound = { status: 404, body: { code: 'not_found', detail: "no segment 'x' in this tenant" } };
  const bad = { status: 400, body: { code: 'invalid_request' } };
  const merged = mergeAnswers('GET /v1/segments/:code/size', [ok({ size: 1 }), notFound, bad]);
  assert.equal(merged, notFound);
});

test('sizes add up; exact only when every partition is; asOf the latest; the rule text kept', () => {
  const merged = mergeAnswers('POST /v1/audience/size', [
    ok({ size: 2, exact: true, asOf: T1, rule: 'visits >= 1' }),
    ok({ size: 3, exact: true, asOf: T0, rule: 'visits >= 1' }),
  ]);
  assert.deepEqual(merged, { status: 200, body: { size: 5, exact: true, asOf: T1, rule: 'visits >= 1' } });
  const partial = mergeAnswers('GET /v1/segments/:code/size', [
    ok({ size: 2, exact: true, asOf: T0 }),
    ok({ size: 3, exact: false, asOf: T0 }),
  ]);
  assert.equal((partial.body as { exact: boolean }).exact, false);
  assert.throws(
    () => mergeAnswers('GET /v1/segments/:code/size', [ok({ size: 2 }), ok({ size: '3' })]),
    (e: unknown) =>
      e instanceof ServiceError &&
      e.status === 502 &&
      /partition answer 1 .*'size' is not a count/.test(e.message),
  );
});

test('overlaps add up cell by cell; partitions sizing other segments are refused', () => {
  const a = {
    segments: ['x', 'y'],
    sizes: [3, 2],
    overlap: [
      [3, 1],
      [1, 2],
    ],
    asOf: T0,
  };
  const b = {
    segments: ['x', 'y'],
    sizes: [1, 4],
    overlap: [
      [1, 0],
      [0, 4],
    ],
    asOf: T1,
  };
  assert.deepEqual(mergeAnswers('POST /v1/audience/overlap', [ok(a), ok(b)]).body, {
    segments: ['x', 'y'],
    sizes: [4, 6],
    overlap: [
      [4, 1],
      [1, 6],
    ],
    asOf: T1,
  });
  assert.throws(
    () => mergeAnswers('POST /v1/audience/overlap', [ok(a), ok({ ...b, segments: ['y', 'x'] })]),
    /its segments \["y","x"\] are not \["x","y"\]/,
  );
});

test("trend: the recorded days are every partition's alike (the shared catalog's totals), today's live sizes add up", () => {
  const past = [
    { date: '2026-12-05', size: 11 },
    { date: '2026-12-06', size: 12 },
  ];
  const a = { segment: 's', days: 30, asOf: T0, points: [...past, { date: '2026-12-07', size: 3 }] };
  const b = { segment: 's', days: 30, asOf: T0, points: [...past, { date: '2026-12-07', size: 7 }] };
  assert.deepEqual(mergeAnswers('GET /v1/segments/:code/trend', [ok(a), ok(b)]).body, {
    segment: 's',
    days: 30,
    asOf: T0,
    points: [...past, { date: '2026-12-07', size: 10 }],
  });
  // partitions that disagree on today (a clock across midnight) cannot be added up
  const late = { ...b, points: [...past, { date: '2026-12-08', size: 7 }] };
  assert.throws(() => mergeAnswers('GET /v1/segments/:code/trend', [ok(a), ok(late)]), /today is 2026-12-08/);
});

test('match rate: counts and age buckets add up, the rate is recomputed from them (not averaged)', () => {
  const buckets = (n: number) => ({ '0-1': n, '2-7': 0, '8-30': 0, '31-90': 0, '91+': 0 });
  const a = {
    partner: 'p',
    profiles: 1,
    matched: 1,
    rate: 1,
    byAgeDays: buckets(1),
    ageFrom: 'learntAt',
    at: T0,
  };
  const b = {
    partner: 'p',
    profiles: 3,
    matched: 0,
    rate: 0,
    byAgeDays: buckets(0),
    ageFrom: 'lastSeen',
    at: T1,
  };
  const merged = mergeAnswers('GET /v1/partners/:code/match-rate', [ok(a), ok(b)]).body;
  assert.deepEqual(merged, { ...a, profiles: 4, matched: 1, rate: 0.25, ageFrom: 'lastSeen', at: T1 });
  const empty = { ...a, profiles: 0, matched: 0, rate: 0, byAgeDays: buckets(0) };
  assert.equal(
    (mergeAnswers('GET /v1/partners/:code/match-rate', [ok(empty), ok(empty)]).body as { rate: number }).rate,
    0,
  );
});

const dashboard = (
  events: number,
  profiles: number,
  segments: { code: string; size: number }[],
  total = segments.length,
) => ({
  asOf: T0,
  eventsPerSecond: Math.round((events / 60) * 100) / 100,
  eventsLastMinute: events,
  profiles,
  topSegments: { total, sized: true, segments: segments.map((s) => ({ ...s, name: s.code.toUpperCase() })) },
  recentChanges: [{ at: T0, user: 'cli', action: 'segment.create', object: 'a' }],
});

test('dashboard: profiles and events add up, events per second recomputed, top segments re-ranked (ties by code)', () => {
  const a = dashboard(1, 10, [
    { code: 'b', size: 6 },
    { code: 'a', size: 4 },
    { code: 'c', size: 0 },
  ]);
  const b = dashboard(1, 5, [
    { code: 'a', size: 3 },
    { code: 'c', size: 3 },
    { code: 'b', size: 1 },
  ]);
  const merged = mergeAnswers('GET /v1/dashboard', [ok(a), ok(b)]).body;
  assert.deepEqual(merged, {
    ...a,
    // 2 / 60 = 0.0333 -> 0.03; the partitions' rounded 0.02 + 0.02 would be 0.04
    eventsPerSecond: 0.03,
    eventsLastMinute: 2,
    profiles: 15,
    topSegments: {
      total: 3,
      sized: true,
      segments: [
        { code: 'a', name: 'A', size: 7 },
        { code: 'b', name: 'B', size: 7 },
        { code: 'c', name: 'C', size: 3 },
      ],
    },
  });
  const unsized = { ...a, topSegments: { total: 3, sized: false, segments: [], detail: 'no compute' } };
  assert.deepEqual(
    (mergeAnswers('GET /v1/dashboard', [ok(unsized), ok(unsized)]).body as typeof a).topSegments,
    unsized.topSegments,
  );
});

test('dashboard with more segments than a top list: only the places the lists prove are shown, and detail says so', () => {
  const ten = (sizes: Record<string, number>) =>
    Object.entries(sizes).map(([code, size]) => ({ code, size }));
  // 12 segments; s00..s08 big everywhere; 'x' 10th on A only, 'y' 10th on B only
  const common = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`s0${i}`, 100 - i]));
  const a = dashboard(0, 1, ten({ ...common, x: 50 }), 12);
  const b = dashboard(0, 1, ten({ ...common, y: 40 }), 12);
  const top = (
    mergeAnswers('GET /v1/dashboard', [ok(a), ok(b)]).body as {
      topSegments: { segments: { code: string; size: number }[]; detail?: string };
    }
  ).topSegments;
  // x is 50 + at most 40 on B, y 40 + at most 50 on A: neither is exact, so 9 places are proven
  assert.deepEqual(
    top.segments.map((s) => [s.code, s.size]),
    Object.entries(common).map(([code, size]) => [code, 2 * size]),
  );
  assert.match(top.detail ?? '', /prove only the 9 largest/);
  // x is 50 + 95 = 145, more than any unlisted segment can reach (50 on A + 92 on C): all 10 proven
  const c = dashboard(0, 1, ten({ ...common, x: 95 }), 12);
  const all = (
    mergeAnswers('GET /v1/dashboard', [ok(a), ok(c)]).body as {
      topSegments: { segments: { code: string }[]; detail?: string };
    }
  ).topSegments;
  assert.deepEqual(
    all.segments.map((s) => s.code),
    [...Object.keys(common), 'x'],
  );
  assert.equal(all.detail, undefined);
});

test("dashboard asked of partitions for every segment: the client's top is exact, whatever each partition's order", () => {
  const list = (sizes: Record<string, number>) =>
    Object.entries(sizes).map(([code, size]) => ({ code, size }));
  // 12 segments; 'z' is last on each partition but first over both
  const common = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`s${10 + i}`, 50 - i]));
  const a = dashboard(
    0,
    1,
    list({ ...common, z: 49 }).sort((p, q) => q.size - p.size),
    12,
  );
  const b = dashboard(
    0,
    1,
    list({ ...common, z: 30 }).sort((p, q) => q.size - p.size),
    12,
  );
  const asked = { partitionTop: 100_000 };
  for (const top of [1, 3, 10, 12, 50]) {
    const merged = (
      mergeAnswers('GET /v1/dashboard', [ok(a), ok(b)], { ...asked, top }).body as {
        topSegments: { segments: { code: string; size: number }[]; detail?: string };
      }
    ).topSegments;
    const whole = [...Object.entries(common).map(([code, size]) => [code, 2 * size]), ['z', 79]].sort(
      (p, q) => (q[1] as number) - (p[1] as number) || ((p[0] as string) < (q[0] as string) ? -1 : 1),
    );
    assert.deepEqual(
      merged.segments.map((s) => [s.code, s.size]),
      whole.slice(0, top),
      `top ${top}`,
    );
    assert.equal(merged.detail, undefined);
  }
});

test('insights: counts and holders add up, shares and index recomputed, minCount and limit applied after summing', () => {
  const row = (trait: string, count: number, holders: number, size: number, population: number) => ({
    trait,
    count,
    share: count / size,
    populationShare: holders / population,
    index: (count / size / (holders / population)) * 100,
    holders,
  });
  // A: segment 2 of population 10; B: segment 6 of population 10
  const a = {
    segment: 's',
    size: 2,
    minCount: 0,
    asOf: T0,
    population: 10,
    traits: [row('t1', 2, 2, 2, 10), row('t2', 0, 5, 2, 10)],
  };
  const b = {
    segment: 's',
    size: 6,
    minCount: 0,
    asOf: T1,
    population: 10,
    traits: [row('t2', 3, 3, 6, 10), row('t1', 1, 4, 6, 10), row('t3', 1, 1, 6, 10)],
  };
  const merged = mergeAnswers('GET /v1/segments/:code/insights', [ok(a), ok(b)], { minCount: 2, limit: 5 })
    .body as {
    traits: { trait: string; count: number; share: number; populationShare: number; index: number }[];
  };
  // t1: 3 of 8 in the segment, 6 of 20 overall; t2: 3 of 8, 8 of 20; t3: count 1 < minCount
  assert.deepEqual(merged, {
    segment: 's',
    size: 8,
    minCount: 2,
    asOf: T1,
    population: 20,
    traits: [row('t1', 3, 6, 8, 20), row('t2', 3, 8, 8, 20)],
  });
  const averaged = (a.traits[0]!.share + b.traits[1]!.share) / 2;
  assert.notEqual(
    merged.traits[0]!.share,
    averaged,
    'the data tells a recomputed share from an averaged one',
  );
  assert.equal(
    (
      mergeAnswers('GET /v1/segments/:code/insights', [ok(a), ok(b)], { minCount: 1, limit: 1 })
        .body as typeof merged
    ).traits.length,
    1,
  );
});

test('insights ties of index and count are broken by trait id, as the service does', () => {
  const row = (trait: string) => ({
    trait,
    count: 1,
    share: 1,
    populationShare: 0.5,
    index: 200,
    holders: 1,
  });
  const a = {
    segment: 's',
    size: 1,
    minCount: 0,
    asOf: T0,
    population: 2,
    traits: [row('zeta'), row('alpha')],
  };
  const b = { ...a, size: 0, population: 0, traits: [] };
  const merged = mergeAnswers('GET /v1/segments/:code/insights', [ok(a), ok(b)], {
    minCount: 1,
    traitIds: new Map([
      ['zeta', 1],
      ['alpha', 2],
    ]),
  }).body as { traits: { trait: string }[] };
  assert.deepEqual(
    merged.traits.map((t) => t.trait),
    ['zeta', 'alpha'],
  );
});

test('insights without population and holders are refused (502), not estimated; one answer is its own merge', () => {
  const plain = { segment: 's', size: 1, minCount: 20, asOf: T0, traits: [] };
  assert.throws(
    () => mergeAnswers('GET /v1/segments/:code/insights', [ok(plain), ok(plain)]),
    (e: unknown) => e instanceof ServiceError && e.status === 502 && /no 'population'/.test(e.message),
  );
  assert.deepEqual(mergeAnswers('GET /v1/segments/:code/insights', [ok(plain)]).body, plain);
  assert.deepEqual(partitionInsightsQuery({ minCount: 5, limit: 10, other: 'x' }), {
    minCount: '0',
    limit: String(Number.MAX_SAFE_INTEGER),
    other: 'x',
  });
});
