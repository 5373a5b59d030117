import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inFlight, parseCampaign } from './campaign.ts';

const xmas = {
  code: 'xmas',
  name: 'Christmas',
  segments: ['fans'],
  destinations: ['ssp', 'gam'],
  start: '2026-12-01T00:00:00Z',
  end: '2026-12-25T00:00:00+01:00',
};

void describe('parseCampaign', () => {
  void it('accepts a full campaign as it is', () => {
    assert.deepEqual(parseCampaign(xmas), { ok: true, campaign: xmas });
    const described = { ...xmas, description: 'gifts' };
    assert.deepEqual(parseCampaign(described), { ok: true, campaign: described });
  });

  void it('names every field at fault', () => {
    const cases: [unknown, [string, RegExp][]][] = [
      [null, [['', /object/]]],
      [{ ...xmas, code: 'Xmas!' }, [['code', /must match/]]],
      [{ ...xmas, name: '' }, [['name', /empty/]]],
      [{ ...xmas, segments: [] }, [['segments', /at least one/]]],
      [{ ...xmas, segments: 'fans' }, [['segments', /array/]]],
      [{ ...xmas, destinations: ['ssp', 'ssp'] }, [['destinations[1]', /twice/]]],
      [{ ...xmas, destinations: ['ssp', 3] }, [['destinations[1]', /string/]]],
      [{ ...xmas, start: '2026-12-01' }, [['start', /ISO 8601/]]],
      [{ ...xmas, start: '2026-12-01T00:00:00' }, [['start', /time zone/]]],
      [{ ...xmas, end: '2026-13-01T00:00:00Z' }, [['end', /ISO 8601/]]],
      [{ ...xmas, end: xmas.start }, [['end', /after start/]]],
      [{ ...xmas, end: '2026-12-01T01:00:00+02:00' }, [['end', /after start/]]],
      [{ ...xmas, flight: 1 }, [['flight', /unknown field/]]],
      [{ ...xmas, description: 5 }, [['description', /string/]]],
      [
        { code: 'x' },
        [
          ['name', /string/],
          ['segments', /array/],
          ['destinations', /array/],
          ['start', /ISO/],
          ['end', /ISO/],
        ],
      ],
    ];
    for (const [input, expected] of cases) {
      const result = parseCampaign(input);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (result.ok) continue;
      assert.deepEqual(
        result.errors.map((e) => e.field),
        expected.map(([field]) => field),
        JSON.stringify(input),
      );
      expected.forEach(([, message], i) => assert.match(result.errors[i]?.message ?? '', message));
    }
  });
});

void describe('inFlight', () => {
  void it('is from start (included) to end (excluded)', () => {
    const flight = { start: '2026-12-01T00:00:00Z', end: '2026-12-25T00:00:00Z' };
    const cases: [string, boolean][] = [
      ['2026-11-30T23:59:59.999Z', false],
      ['2026-12-01T00:00:00Z', true],
      ['2026-12-24T23:59:59.999Z', true],
      ['2026-12-25T00:00:00Z', false],
      ['2027-01-01T00:00:00Z', false],
    ];
    for (const [at, expected] of cases) assert.equal(inFlight(flight, Date.parse(at)), expected, at);
  });
});
