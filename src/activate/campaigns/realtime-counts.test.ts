import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Destination } from '../../core/activation/index.ts';
import type { ActivationVerdict, RealtimeDecision } from '../realtime-activation.ts';
import type { Campaign } from './campaign.ts';
import { RealtimeCounts } from './realtime-counts.ts';

const ssp: Destination = {
  kind: 'openrtb',
  code: 'ssp',
  name: 'SSP',
  segments: [
    { segment: 'fans', id: '1' },
    { segment: 'readers', id: '2' },
  ],
  idType: 'uid',
  consent: { purposes: [1] },
  restrictions: [],
  settings: {},
};
const flight = { start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' };
const campaigns: Campaign[] = [
  { code: 'xmas', name: 'X', segments: ['fans'], destinations: ['ssp'], ...flight },
  { code: 'read', name: 'R', segments: ['readers'], destinations: ['ssp'], ...flight },
  {
    code: 'later',
    name: 'L',
    segments: ['fans'],
    destinations: ['ssp'],
    start: flight.end,
    end: '2027-01-01T00:00:00Z',
  },
];
const IN = Date.parse('2026-12-10T00:00:00Z');

function decision(outcome: ActivationVerdict['outcome'], offered: string[], at = IN): RealtimeDecision {
  const reason = outcome === 'no-consent' ? 'purpose 3 has no consent' : 'ok';
  const segments = outcome === 'sent' ? offered : [];
  return {
    tenant: 't1',
    destination: ssp,
    verdict: { visitor: 'c-1', outcome, reason, segments },
    offered,
    at,
  };
}

const steps = (counts: RealtimeCounts, campaign: string) =>
  counts.report('t1', campaign, 'ssp').steps.map((s) => [s.count, s.lost, s.pending]);

void describe('RealtimeCounts', () => {
  void it('counts each decision for the campaigns in flight whose segments the visitor was offered', () => {
    const counts = new RealtimeCounts((tenant) => (tenant === 't1' ? campaigns : []));
    counts.record(decision('sent', ['fans', 'readers']));
    counts.record(decision('sent', ['fans']));
    counts.record(decision('no-consent', ['fans']));
    counts.record(decision('not-eligible', []));
    counts.record(decision('not-found', []));
    counts.record(decision('sent', ['fans'], Date.parse(flight.end)));
    counts.record({ ...decision('sent', ['fans']), tenant: 't2' });
    assert.deepEqual(steps(counts, 'xmas'), [
      [3, 0, 0],
      [2, 1, 0],
      [2, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
    ]);
    assert.deepEqual(counts.report('t1', 'xmas', 'ssp').steps[1]?.reasons, [
      { reason: 'purpose 3 has no consent', count: 1 },
    ]);
    assert.deepEqual(steps(counts, 'read')[0], [1, 0, 0]);
    assert.deepEqual(steps(counts, 'later')[0], [1, 0, 0]);
    assert.deepEqual(counts.report('t2', 'xmas', 'ssp').steps[0]?.count, 0);
    counts.forget('t1', 'xmas');
    assert.deepEqual(steps(counts, 'xmas')[0], [0, 0, 0]);
    assert.deepEqual(steps(counts, 'read')[0], [1, 0, 0]);
  });
});
