import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkRule,
  parseRule,
  printRule,
  ruleToJson,
  type CheckContext,
} from '../../src/core/rules/index.ts';

/**
 * docs/rule-language.md is the users' reference: every example block in it must mean what the page
 * says. Blocks tagged `trait-rule` / `segment-rule` hold one rule a line (lines may continue when
 * indented); `*-rule-error` blocks hold `RULE -- MESSAGE`, the first error the rule must get.
 */
const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'rule-language.md'), 'utf8');

const TRAITS = new Set(['pricing_visitor', 'purchaser', 'shoes', 'boots', 'iab_239']);
const SEGMENTS = new Map<string, readonly string[]>([
  ['london_returning', []],
  ['recent_buyers', []],
]);
const scopes: Record<'trait' | 'segment', CheckContext> = {
  trait: { scope: 'event', traits: new Set(), segments: new Map() },
  segment: { scope: 'profile', traits: TRAITS, segments: SEGMENTS },
};

interface Block {
  kind: 'trait' | 'segment';
  error: boolean;
  text: string;
}

function blocks(): Block[] {
  const out: Block[] = [];
  const fence = /```(trait|segment)-rule(-error)?\n([\s\S]*?)```/g;
  for (const m of DOC.matchAll(fence)) {
    out.push({ kind: m[1] as 'trait' | 'segment', error: m[2] !== undefined, text: m[3] ?? '' });
  }
  return out;
}

/** The rules of a block: a rule per line, an indented line continuing the one before; comments kept. */
function rules(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const last = out.length - 1;
    if ((/^\s/.test(line) || out[last]?.trimStart().startsWith('#')) && last >= 0) out[last] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

void describe('docs/rule-language.md: the examples', () => {
  const found = blocks();
  void it('has example blocks of every kind', () => {
    for (const kind of ['trait', 'segment'] as const) {
      assert.ok(
        found.some((b) => b.kind === kind && !b.error),
        `no ${kind}-rule block`,
      );
      assert.ok(
        found.some((b) => b.kind === kind && b.error),
        `no ${kind}-rule-error block`,
      );
    }
  });
  for (const block of found.filter((b) => !b.error)) {
    for (const rule of rules(block.text)) {
      void it(`${block.kind} rule checks and prints back to the same tree: ${rule}`, () => {
        const checked = checkRule(rule, scopes[block.kind]);
        assert.deepEqual(checked.ok ? [] : checked.errors, []);
        assert.ok(checked.ok);
        const again = parseRule(printRule(checked.rule));
        assert.ok(again.ok);
        assert.deepEqual(again.rule, checked.rule);
      });
    }
  }
  for (const block of found.filter((b) => b.error)) {
    for (const line of rules(block.text)) {
      const [rule = '', message = ''] = line.split(' -- ');
      void it(`${block.kind} rule is refused as documented: ${rule}`, () => {
        const checked = checkRule(rule, scopes[block.kind]);
        assert.ok(!checked.ok, 'the rule was accepted');
        assert.equal(checked.errors[0]?.message, message);
      });
    }
  }
});

void describe('docs/rule-language.md: the JSON form', () => {
  void it('is the tree of the rule it names', () => {
    const m = /without\s+loss\. `([^`]+)` is:\n\n```json\n([\s\S]*?)```/.exec(DOC);
    assert.ok(m, 'the JSON example is not on the page');
    const parsed = parseRule(m[1] ?? '');
    assert.ok(parsed.ok);
    assert.deepEqual(ruleToJson(parsed.rule), JSON.parse(m[2] ?? ''));
  });
});
