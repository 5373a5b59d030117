import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Destination } from '../../core/activation/index.ts';
import { Funnel } from '../../core/activation/index.ts';
import type { MembersPart } from './merge-members.ts';
import { mergeCollected } from './merge-members.ts';

const destination = { code: 'dsp', kind: 'file', idType: 'maid', segments: [] } as unknown as Destination;

/** A partition's part: each profile with an ID passes to `hasId`; each ID once (as collectMembers does). */
function partOf(profiles: readonly { id: string; segment: string }[]): MembersPart {
  const funnel = new Funnel();
  const byId = new Map<string, { id: string; segments: string[]; segmentIds: string[] }>();
  let duplicates = 0;
  for (const { id, segment } of profiles) {
    funnel.pass('eligible');
    funnel.pass('consented');
    funnel.pass('hasId');
    const known = byId.get(id);
    if (known === undefined) byId.set(id, { id, segments: [segment], segmentIds: [`s-${segment}`] });
    else {
      duplicates++;
      if (!known.segments.includes(segment)) known.segments.push(segment);
      if (!known.segmentIds.includes(`s-${segment}`)) known.segmentIds.push(`s-${segment}`);
    }
  }
  if (duplicates > 0) funnel.lose('sent', 'another profile has the same maid ID', duplicates);
  return { members: [...byId.values()], funnel: funnel.report(), visited: profiles.length };
}

void it('merging partitions gives what one engine holding every profile collects', () => {
  const profile = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    segment: fc.constantFrom('x', 'y'),
    partition: fc.integer({ min: 0, max: 3 }),
  });
  fc.assert(
    fc.property(fc.array(profile, { maxLength: 30 }), (profiles) => {
      const parts = [0, 1, 2, 3].map((p) => partOf(profiles.filter((x) => x.partition === p)));
      const merged = mergeCollected(parts, destination);
      const whole = mergeCollected([partOf(profiles)], destination);
      const sorted = (members: typeof merged.members) =>
        members.map((m) => ({
          ...m,
          segments: [...m.segments].sort(),
          segmentIds: [...m.segmentIds].sort(),
        }));
      assert.deepEqual(sorted(merged.members), sorted(whole.members));
      assert.deepEqual(merged.funnel.report(), whole.funnel.report());
      assert.equal(merged.visited, profiles.length);
      // each ID is one member; every other profile with it is lost at `sent`
      const ids = new Set(profiles.map((p) => p.id));
      assert.deepEqual(
        merged.members.map((m) => m.id),
        [...ids].sort(),
      );
      const sent = merged.funnel.report().steps.find((s) => s.step === 'sent');
      assert.equal(sent?.lost, profiles.length - ids.size);
    }),
  );
});
