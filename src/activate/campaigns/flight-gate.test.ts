import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Campaign } from './campaign.ts';
import { activeSegmentsOf } from './flight-gate.ts';

const ssp = {
  code: 'ssp',
  segments: [
    { segment: 'fans', id: '1' },
    { segment: 'readers', id: '2' },
    { segment: 'buyers', id: '3' },
  ],
};
const december = { start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' };
const january = { start: '2027-01-10T00:00:00Z', end: '2027-01-20T00:00:00Z' };
const campaign = (code: string, segments: string[], destinations: string[], flight = december): Campaign => ({
  code,
  name: code,
  segments,
  destinations,
  ...flight,
});
const at = (iso: string) => Date.parse(iso);

void describe('activeSegmentsOf', () => {
  void it('gates pairs named by a campaign to its flights and leaves the others standing', () => {
    const xmas = campaign('xmas', ['fans'], ['ssp', 'gam']);
    const sales = campaign('sales', ['fans', 'buyers'], ['ssp'], january);
    const elsewhere = campaign('gam-only', ['readers'], ['gam']);
    const cases: [Campaign[], string, Set<string> | undefined][] = [
      [[], '2026-12-10T00:00:00Z', undefined],
      [[elsewhere], '2026-11-01T00:00:00Z', undefined],
      [[xmas], '2026-11-01T00:00:00Z', new Set(['readers', 'buyers'])],
      [[xmas], '2026-12-10T00:00:00Z', new Set(['fans', 'readers', 'buyers'])],
      [[xmas], '2026-12-25T00:00:00Z', new Set(['readers', 'buyers'])],
      [[xmas, sales], '2026-12-10T00:00:00Z', new Set(['fans', 'readers'])],
      [[xmas, sales], '2027-01-01T00:00:00Z', new Set(['readers'])],
      [[xmas, sales], '2027-01-15T00:00:00Z', new Set(['fans', 'readers', 'buyers'])],
      [[xmas, sales, elsewhere], '2027-01-15T00:00:00Z', new Set(['fans', 'readers', 'buyers'])],
    ];
    for (const [campaigns, now, expected] of cases) {
      assert.deepEqual(
        activeSegmentsOf(campaigns, ssp, at(now)),
        expected,
        `${campaigns.map((c) => c.code).join(',')} at ${now}`,
      );
    }
  });

  void it('never lets through a segment the destination does not map', () => {
    const unmapped = campaign('x', ['fans', 'ghosts'], ['ssp']);
    assert.deepEqual(
      activeSegmentsOf([unmapped], ssp, at('2026-12-10T00:00:00Z')),
      new Set(['fans', 'readers', 'buyers']),
    );
  });
});
