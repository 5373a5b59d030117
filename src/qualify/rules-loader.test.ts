import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Segment, Trait } from '../catalog/catalog.ts';
import { parseRule } from '../core/rules/index.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from './testing/test-qualify.ts';
import { loadRules, reloadRules } from './rules-loader.ts';

const AT = '2026-11-01T00:00:00.000Z';

function trait(id: number, code: string): Trait {
  const rule = `url.path startsWith "/${code}"`;
  const parsed = parseRule(rule);
  if (!parsed.ok) throw new Error(rule);
  const version = { version: 1, rule, ruleJson: parsed.rule, fromSeq: 0 };
  return {
    ...{ id, code, name: code, kind: 'rule', rule, ruleJson: parsed.rule, lifetimeDays: 120 },
    ...{ folder: '', source: 'first-party', versions: [version], createdAt: AT, updatedAt: AT },
  };
}

/** A catalog whose trait reads answer, one by one, when the test releases them (in any order). */
function slowCatalog() {
  const waiting: { traits: Trait[]; answer: (traits: Trait[]) => void }[] = [];
  let traits: Trait[] = [];
  return {
    set: (next: Trait[]) => (traits = next),
    release: (i: number) => waiting[i]!.answer(waiting[i]!.traits),
    catalog: {
      listTraits: () => new Promise<Trait[]>((answer) => waiting.push({ traits: [...traits], answer })),
      listSegments: async (): Promise<Segment[]> => [],
    },
  };
}

const codes = (q: ReturnType<typeof testQualify>) => [...q.rules('t').traitsById.values()].map((t) => t.code);

test('a read that began earlier never installs over rules of a read that began later', async () => {
  const q = testQualify(createMemoryProfileStore());
  const slow = slowCatalog();
  slow.set([trait(1, 'a')]);
  const older = reloadRules(slow.catalog, q, 't');
  slow.set([trait(1, 'a'), trait(2, 'b')]); // written by this process after the follower's read began
  const newer = loadRules(slow.catalog, q, 't');
  slow.release(1);
  await newer;
  assert.deepEqual(codes(q), ['a', 'b']);
  slow.release(0);
  await older;
  assert.deepEqual(codes(q), ['a', 'b'], 'the older read (without b) is not installed');
});

test("reloadRules clears the realisations of a trait another process removed, and no other's", async () => {
  const q = testQualify(createMemoryProfileStore());
  q.setRules('t', [trait(1, 'a'), trait(2, 'b')], []);
  const profiles = q.profilesOf('t');
  const p = profiles.resolve('v1', {}, true)!;
  q.addRealisation('t', p, 1, Date.parse(AT));
  q.addRealisation('t', p, 2, Date.parse(AT));
  const slow = slowCatalog();
  slow.set([trait(2, 'b')]);
  const reloading = reloadRules(slow.catalog, q, 't');
  slow.release(0);
  await reloading;
  assert.deepEqual(codes(q), ['b']);
  assert.deepEqual(
    profiles.traitSummaries(p).map((s) => s.traitId),
    [2],
  );
});
