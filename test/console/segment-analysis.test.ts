import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allThree, percentOf, regionLabel, unionOf, vennRegions } from '../../console/src/venn.ts';
import { labelIndexes, linearScale, niceTicks } from '../../console/src/chart-scale.ts';
import { nodeLine, sawText } from '../../console/src/explanation.ts';

test('the Venn regions of three sets add up to their union and agree with counting the members', () => {
  // three explicit sets: the regions counted member by member must equal the inclusion-exclusion figures
  const a = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const b = new Set([1, 2, 3, 4, 11, 12, 13, 14]);
  const c = new Set([1, 5, 6, 11, 20, 21]);
  const both = (x: Set<number>, y: Set<number>) => [...x].filter((v) => y.has(v)).length;
  const abc = [...a].filter((v) => b.has(v) && c.has(v)).length;
  const regions = vennRegions({
    sizes: [a.size, b.size, c.size],
    ab: both(a, b),
    ac: both(a, c),
    bc: both(b, c),
    abc,
  });
  const all = new Set([...a, ...b, ...c]);
  const count = (inA: boolean, inB: boolean, inC: boolean) =>
    [...all].filter((v) => a.has(v) === inA && b.has(v) === inB && c.has(v) === inC).length;
  assert.deepEqual(regions, {
    a: count(true, false, false),
    b: count(false, true, false),
    c: count(false, false, true),
    ab: count(true, true, false),
    ac: count(true, false, true),
    bc: count(false, true, true),
    abc: count(true, true, true),
  });
  assert.deepEqual(regions, { a: 4, b: 3, c: 2, ab: 3, ac: 2, bc: 1, abc: 1 });
  assert.equal(unionOf(regions), all.size);
  // figures no three sets can have are refused, not drawn as negative regions
  assert.throws(() => vennRegions({ sizes: [2, 2, 2], ab: 2, ac: 2, bc: 0, abc: 0 }), /region\(s\) a < 0/);
});

test('regions and shares are written in words', () => {
  const codes = ['x', 'y', 'z'] as const;
  assert.equal(regionLabel('a', codes), 'in x only');
  assert.equal(regionLabel('bc', codes), 'in y and z, not x');
  assert.equal(regionLabel('abc', codes), 'in all three (x, y, z)');
  assert.equal(allThree(codes), 'segment:x and segment:y and segment:z');
  assert.equal(percentOf(1, 3), '33%');
  assert.equal(percentOf(1, 40), '2.5%');
  assert.equal(percentOf(0, 5), '0%');
  assert.equal(percentOf(3, 0), '–');
});

test('chart scales map the domain onto the range, ticks are round and cover the maximum', () => {
  const y = linearScale([0, 10], [100, 0]);
  assert.equal(y(0), 100);
  assert.equal(y(5), 50);
  assert.equal(y(10), 0);
  assert.equal(linearScale([3, 3], [0, 40])(3), 20);
  assert.deepEqual(niceTicks(37, 4), [0, 10, 20, 30, 40]);
  assert.deepEqual(niceTicks(3, 4), [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(1200, 5), [0, 500, 1000, 1500]);
  assert.deepEqual(niceTicks(0, 4), [0, 1]);
  assert.deepEqual(labelIndexes(30, 4), [0, 10, 19, 29]);
  assert.deepEqual(labelIndexes(2, 4), [0, 1]);
  assert.deepEqual(labelIndexes(0, 4), []);
});

test('an explanation node says its verdict and what it saw', () => {
  const t1 = Date.parse('2026-11-10T12:00:00Z');
  const t2 = Date.parse('2026-11-19T08:30:00Z');
  const trait = { count: 2, times: [t1, t2], after: 0, atOrBefore: t2 };
  assert.equal(sawText(trait), '2 times in the window, last 2026-11-19 08:30 UTC');
  assert.equal(sawText({ count: 0, times: [], after: 0, atOrBefore: 1 }), '0 times in the window');
  assert.equal(sawText('London'), '"London"');
  assert.equal(sawText(null), 'no value');
  assert.equal(sawText(undefined), '');
  assert.equal(nodeLine({ text: 'visits >= 2', result: false, saw: 1 }), 'visits >= 2: false (saw 1)');
  assert.equal(
    nodeLine({ text: 'segment:x', result: false, note: "segment 'x' is not bound" }),
    "segment:x: false (segment 'x' is not bound)",
  );
  assert.equal(nodeLine({ text: 'a and b', result: true }), 'a and b: true');
});
