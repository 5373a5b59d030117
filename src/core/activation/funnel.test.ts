import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Funnel, FUNNEL_STEPS } from './funnel.ts';
import type { FunnelReport } from './funnel.ts';

/** previous count = count + lost + pending, at every step after the first; nothing negative */
function assertAddsUp(report: FunnelReport): void {
  report.steps.forEach((s, i) => {
    assert.equal(
      s.lost,
      s.reasons.reduce((sum, r) => sum + r.count, 0),
      `${s.step}: lost is the sum of its reasons`,
    );
    assert.ok(s.count >= 0 && s.lost >= 0 && s.pending >= 0, `${s.step}: nothing negative`);
    const previous = report.steps[i - 1];
    if (previous !== undefined)
      assert.equal(previous.count, s.count + s.lost + s.pending, `${s.step} adds up`);
  });
}

void describe('Funnel', () => {
  void it('counts each step with a count per loss reason, and adds up', () => {
    const funnel = new Funnel();
    assert.ok(funnel.pass('eligible', 10));
    assert.ok(funnel.pass('consented', 7));
    assert.ok(funnel.lose('consented', 'US Privacy string 1YYN: opted out of sale', 2));
    assert.ok(funnel.lose('consented', 'GDPR applies and there is no TCF string'));
    assert.ok(funnel.pass('hasId', 5));
    assert.ok(funnel.lose('hasId', 'no maid ID for dsp', 2));
    assert.ok(funnel.pass('sent', 4));
    assert.ok(funnel.lose('sent', 'HTTP 400 is not retryable'));
    assert.ok(funnel.pass('acknowledged', 3));
    const report = funnel.report();
    assert.deepEqual(report, {
      steps: [
        { step: 'eligible', count: 10, lost: 0, pending: 0, reasons: [] },
        {
          step: 'consented',
          count: 7,
          lost: 3,
          pending: 0,
          reasons: [
            { reason: 'US Privacy string 1YYN: opted out of sale', count: 2 },
            { reason: 'GDPR applies and there is no TCF string', count: 1 },
          ],
        },
        {
          step: 'hasId',
          count: 5,
          lost: 2,
          pending: 0,
          reasons: [{ reason: 'no maid ID for dsp', count: 2 }],
        },
        {
          step: 'sent',
          count: 4,
          lost: 1,
          pending: 0,
          reasons: [{ reason: 'HTTP 400 is not retryable', count: 1 }],
        },
        // one sent and not yet answered
        { step: 'acknowledged', count: 3, lost: 0, pending: 1, reasons: [] },
      ],
    });
    assertAddsUp(report);
  });

  void it('refuses what would make a step hold more than the one before', () => {
    const funnel = new Funnel();
    assert.equal(funnel.pass('consented'), false);
    assert.equal(funnel.lose('hasId', 'x'), false);
    funnel.pass('eligible', 2);
    assert.equal(funnel.pass('consented', 3), false);
    assert.ok(funnel.pass('consented'));
    assert.ok(funnel.lose('consented', 'no consent'));
    assert.equal(funnel.lose('consented', 'no consent'), false);
    assert.equal(funnel.pass('eligible', 0), false);
    assert.equal(funnel.pass('eligible', 1.5), false);
    const report = funnel.report();
    assert.deepEqual(
      report.steps.map((s) => [s.step, s.count, s.lost]),
      [
        ['eligible', 2, 0],
        ['consented', 1, 1],
        ['hasId', 0, 0],
        ['sent', 0, 0],
        ['acknowledged', 0, 0],
      ],
    );
    assertAddsUp(report);
  });

  void it('adds another funnel: the sum of two groups counted apart equals counting them together', () => {
    const op = fc.record({
      step: fc.constantFrom(...FUNNEL_STEPS),
      lose: fc.boolean(),
      reason: fc.constantFrom('a', 'b', 'c'),
      count: fc.integer({ min: 0, max: 5 }),
      group: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const together = new Funnel();
        const parts = [new Funnel(), new Funnel()];
        for (const { step, lose, reason, count, group } of ops) {
          const part = parts[group ? 1 : 0] as Funnel;
          // what a part takes, the whole takes too (it has at least as much room at every step)
          const taken = lose && step !== 'eligible' ? part.lose(step, reason, count) : part.pass(step, count);
          if (!taken) continue;
          if (lose && step !== 'eligible') together.lose(step, reason, count);
          else together.pass(step, count);
        }
        const sum = new Funnel();
        for (const part of parts) sum.add(part.report());
        assert.deepEqual(sum.report(), together.report());
        assertAddsUp(sum.report());
      }),
    );
  });

  void it('adds up whatever is recorded', () => {
    const op = fc.record({
      step: fc.constantFrom(...FUNNEL_STEPS),
      lose: fc.boolean(),
      reason: fc.constantFrom('a', 'b', 'c'),
      count: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const funnel = new Funnel();
        for (const { step, lose, reason, count } of ops) {
          if (lose && step !== 'eligible') funnel.lose(step, reason, count);
          else funnel.pass(step, count);
        }
        assertAddsUp(funnel.report());
      }),
    );
  });
});
