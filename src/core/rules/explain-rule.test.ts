import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from './ast.ts';
import type { RuleBinder, SegmentContext } from './scope.ts';
import type { CollectedEvent } from '../event.ts';
import { explainEvent, explainProfile } from './explain-rule.ts';
import { parseRule } from './parse-rule.ts';

const DAY = 86_400_000;
const now = Date.UTC(2026, 9, 15);

function rule(text: string): Rule {
  const r = parseRule(text);
  assert.ok(r.ok, text);
  return r.rule;
}

void describe('explain', () => {
  void it('an event: a tree mirroring the AST with the values seen', () => {
    const event: CollectedEvent = {
      uid: 'u',
      ids: {},
      type: 'purchase',
      ts: 0,
      utm: {},
      signals: { value: 90 },
      geo: {},
      device: {},
    };
    const x = explainEvent(rule('event == "purchase" and not signals.value > 100'), event);
    assert.deepEqual(x, {
      text: 'event == "purchase" and not signals.value > 100',
      result: true,
      children: [
        { text: 'event == "purchase"', result: true, saw: 'purchase' },
        {
          text: 'not signals.value > 100',
          result: true,
          children: [{ text: 'signals.value > 100', result: false, saw: 90 }],
        },
      ],
    });
  });

  void it('a profile: kept realisation times and count, path values, unbound codes', () => {
    const times = [now - 40 * DAY, now - 20 * DAY, now - DAY];
    const ctx: SegmentContext = {
      now,
      inSegment: () => false,
      view: {
        attribute: (p) => (p === 'visits' ? 1 : undefined),
        hasId: () => false,
        countRealisations: (_id, a, b) => times.filter((t) => t > a && t <= b).length,
        realisationTimes: () => [...times],
      },
    };
    const bind: RuleBinder = {
      trait: (c) => (c === 'p' ? { id: 1, lifetimeMs: 120 * DAY } : undefined),
      segment: () => undefined,
    };
    const x = explainProfile(rule('trait:p[within 30d] and visits >= 2 or trait:gone'), bind, ctx);
    assert.equal(x.result, false);
    const [and, gone] = x.children ?? [];
    assert.deepEqual(and?.children?.[0]?.saw, {
      count: 2,
      times: [now - 20 * DAY, now - DAY],
      after: now - 30 * DAY,
      atOrBefore: now,
    });
    assert.equal(and?.children?.[0]?.result, true);
    assert.deepEqual(and?.children?.[1], { text: 'visits >= 2', result: false, saw: 1 });
    assert.deepEqual(gone, { text: 'trait:gone', result: false, note: "trait 'gone' is not bound" });
  });
});
