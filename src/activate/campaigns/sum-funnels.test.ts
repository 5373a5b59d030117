import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Funnel, FUNNEL_STEPS } from '../../core/activation/index.ts';
import type { FunnelReport } from '../../core/activation/index.ts';
import { funnelOfRun, sumFunnels } from './sum-funnels.ts';

/** A funnel from counts: [eligible, lost at consent, lost at ID, unanswered]. */
function funnelOf([eligible, noConsent, noId, unanswered]: number[]): FunnelReport {
  const f = new Funnel();
  let left = eligible ?? 0;
  if (left > 0) f.pass('eligible', left);
  const lose = (step: 'consented' | 'hasId', reason: string, n: number) => {
    const k = Math.min(n, left);
    if (k > 0) f.lose(step, reason, k);
    left -= k;
    if (left > 0) f.pass(step, left);
  };
  lose('consented', 'no consent', noConsent ?? 0);
  lose('hasId', 'no ID', noId ?? 0);
  if (left > 0) f.pass('sent', left);
  const answered = left - Math.min(unanswered ?? 0, left);
  if (answered > 0) f.pass('acknowledged', answered);
  return f.report();
}

void describe('sumFunnels', () => {
  void it('adds counts, losses, pending and reasons step by step', () => {
    const sum = sumFunnels([funnelOf([10, 2, 1, 1]), funnelOf([5, 1, 0, 0])]);
    assert.deepEqual(
      sum.steps.map((s) => [s.step, s.count, s.lost, s.pending]),
      [
        ['eligible', 15, 0, 0],
        ['consented', 12, 3, 0],
        ['hasId', 11, 1, 0],
        ['sent', 11, 0, 0],
        ['acknowledged', 10, 0, 1],
      ],
    );
    assert.deepEqual(sum.steps[1]?.reasons, [{ reason: 'no consent', count: 3 }]);
    assert.deepEqual(sumFunnels([]), new Funnel().report());
  });

  void it('adds up whenever the funnels added do', () => {
    const counts = fc.array(fc.nat({ max: 50 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(counts, { maxLength: 6 }), (many) => {
        const sum = sumFunnels(many.map(funnelOf));
        assert.deepEqual(
          sum.steps.map((s) => s.step),
          [...FUNNEL_STEPS],
        );
        sum.steps.forEach((step, i) => {
          const previous = sum.steps[i - 1];
          if (previous !== undefined) assert.equal(previous.count, step.count + step.lost + step.pending);
        });
        assert.equal(
          sum.steps[0]?.count,
          many.reduce((n, c) => n + (c[0] ?? 0), 0),
        );
      }),
    );
  });
});

void describe('funnelOfRun', () => {
  void it('finds the funnel in a run report, or none', () => {
    const funnel = funnelOf([3, 1, 0, 0]);
    assert.deepEqual(funnelOfRun({ rows: 3, funnel }), funnel);
    assert.deepEqual(funnelOfRun(funnel), funnel);
    for (const bad of [undefined, null, {}, { funnel: {} }, { funnel: { steps: [{ step: 'x' }] } }, 'x']) {
      assert.equal(funnelOfRun(bad), undefined, JSON.stringify(bad));
    }
  });
});
