import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Trait } from '../catalog/catalog.ts';
import { fingerprintChange, traitFingerprints } from './trait-fingerprints.ts';

const trait = (id: number, versions: [number, string][], extra: Partial<Trait> = {}): Trait =>
  ({
    id,
    code: `t${id}`,
    name: `t${id}`,
    kind: 'rule',
    rule: '',
    ruleJson: null,
    lifetimeDays: 30,
    versions: versions.map(([fromSeq, rule], i) => ({ version: i + 1, rule, ruleJson: { rule }, fromSeq })),
    ...extra,
  }) as unknown as Trait;

test('fingerprints change only with what the events up to the snapshot were qualified by', () => {
  const at = 100;
  const base = traitFingerprints([trait(1, [[10, 'a']])], at);

  // a version starting after the snapshot leaves the events it holds as they were
  assert.equal(
    fingerprintChange(
      base,
      traitFingerprints(
        [
          trait(1, [
            [10, 'a'],
            [150, 'b'],
          ]),
        ],
        at,
      ),
    ),
    undefined,
  );
  // a new rule trait applying from after the snapshot: no mark
  assert.equal(
    fingerprintChange(base, traitFingerprints([trait(1, [[10, 'a']]), trait(2, [[101, 'x']])], at)),
    undefined,
  );

  // backfill (fromSeq 0 replaces the history), a deletion, a longer lifetime, a new backfilled trait
  assert.match(
    fingerprintChange(base, traitFingerprints([trait(1, [[0, 'b']])], at)) ?? '',
    /trait 1 was changed/,
  );
  assert.match(fingerprintChange(base, traitFingerprints([], at)) ?? '', /trait 1 was deleted/);
  assert.match(
    fingerprintChange(base, traitFingerprints([trait(1, [[10, 'a']], { lifetimeDays: 60 })], at)) ?? '',
    /trait 1 was changed/,
  );
  assert.match(
    fingerprintChange(base, traitFingerprints([trait(1, [[10, 'a']]), trait(2, [[0, 'x']])], at)) ?? '',
    /trait 2 was added with history/,
  );
  // a trait without rule (onboarded) counts from its creation, whatever its versions
  assert.match(
    fingerprintChange(
      base,
      traitFingerprints([trait(1, [[10, 'a']]), trait(3, [], { kind: 'onboarded' })], at),
    ) ?? '',
    /trait 3/,
  );
});
