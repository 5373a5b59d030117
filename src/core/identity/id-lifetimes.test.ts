import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findLive, isIdLive, liveIdsOf } from './id-lifetimes.ts';
import type { IdHolders } from './id-lifetimes.ts';
import type { LinkedId } from './merge-rules.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

void describe('ID lifetimes', () => {
  void it('keep an ID alive for less than its type’s days: the setting, else the default, else 90', () => {
    const lifetimes = { perType: { maid: 30, ssp_a: 7 } };
    assert.equal(isIdLive('maid', NOW - 29 * DAY, lifetimes, NOW), true);
    assert.equal(isIdLive('maid', NOW - 30 * DAY, lifetimes, NOW), false);
    assert.equal(isIdLive('ssp_a', NOW - 8 * DAY, lifetimes, NOW), false);
    // crm defaults to 730 days, an unknown type to 90
    assert.equal(isIdLive('crm', NOW - 700 * DAY, lifetimes, NOW), true);
    assert.equal(isIdLive('ssp_b', NOW - 91 * DAY, lifetimes, NOW), false);
    // an ID kept without a learnt time is alive
    assert.equal(isIdLive('ssp_a', undefined, lifetimes, NOW), true);
    assert.equal(isIdLive('ssp_a', Number.NaN, lifetimes, NOW), true);
  });

  const ids: LinkedId[] = [
    { type: 'uid', value: 'c-1', learntAt: NOW - 100 * DAY },
    { type: 'ssp_a', value: 'A-old', learntAt: NOW - 10 * DAY },
    { type: 'ssp_a', value: 'A-new', learntAt: NOW - DAY },
    { type: 'maid', value: 'm', learntAt: NOW - 40 * DAY },
  ];
  const holders: IdHolders = {
    find: (type, value) => (ids.some((id) => id.type === type && id.value === value) ? 7 : undefined),
    allIds: () => ids,
  };
  const live = (type: string, at: number | undefined): boolean =>
    isIdLive(type, at, { perType: { ssp_a: 7, maid: 30 } }, NOW);

  void it('findLive finds the visitor by an alive ID only', () => {
    assert.equal(findLive(holders, 'ssp_a', 'A-new', live), 7);
    assert.equal(findLive(holders, 'ssp_a', 'A-old', live), undefined);
    assert.equal(findLive(holders, 'maid', 'm', live), undefined);
    assert.equal(findLive(holders, 'uid', 'c-1', live), 7, 'a cookie lives 400 days');
    assert.equal(findLive(holders, 'ssp_a', 'A-none', live), undefined);
  });

  void it('liveIdsOf gives the first learnt alive ID of each type', () => {
    assert.deepEqual(liveIdsOf(holders, 7, live), { uid: 'c-1', ssp_a: 'A-new' });
  });
});
