import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

const T0 = Date.UTC(2025, 10, 20);

const event = (uid: string, ts: number, extra: Partial<CollectedEvent> = {}): CollectedEvent => ({
  uid,
  ids: {},
  type: 'pageview',
  ts,
  utm: {},
  signals: {},
  geo: { country: 'GB', city: 'London' },
  device: { type: 'mobile' },
  ...extra,
});

/** A tenant with removed profiles, shared and distinct consents, non-ASCII IDs and realisations. */
function populated(): MemoryTenantProfiles {
  const profiles = new MemoryTenantProfiles();
  for (let i = 0; i < 300; i++) {
    const p = profiles.resolve(`c-${i}`, { maid: `m-${i}`, idfa: i % 3 === 0 ? `ï-${i}-😀` : '' }, true)!;
    const consent = i % 2 === 0 ? { gdpr: 1 as const, tcf: 'CQ-shared' } : { usp: `1Y${i}` };
    profiles.recordEvent(
      p,
      event(`c-${i}`, T0 + i * 1000, { consent, geo: { country: i % 5 ? 'GB' : 'FR' } }),
    );
    for (let k = 0; k < i % 4; k++) profiles.addRealisation(p, 1 + (k % 3), T0 + k * 60_000);
  }
  for (let i = 0; i < 300; i += 7) profiles.remove(profiles.find('uid', `c-${i}`)!);
  return profiles;
}

/** Every answer of `a` and `b` for every profile index either has (and for IDs never held). */
function assertSame(a: MemoryTenantProfiles, b: MemoryTenantProfiles): void {
  assert.equal(b.count(), a.count());
  assert.deepEqual(b.page(-1, 10_000), a.page(-1, 10_000));
  for (let i = 0; i < 310; i++) {
    assert.equal(b.find('uid', `c-${i}`), a.find('uid', `c-${i}`));
    assert.equal(b.find('idfa', `ï-${i}-😀`), a.find('idfa', `ï-${i}-😀`));
  }
  a.forEach((p) => {
    assert.equal(b.uidOf(p), a.uidOf(p));
    assert.deepEqual(b.idsOf(p), a.idsOf(p));
    assert.deepEqual(b.attributes(p), a.attributes(p));
    assert.deepEqual(b.traitSummaries(p), a.traitSummaries(p));
    assert.deepEqual(b.consentOf(p), a.consentOf(p));
    assert.equal(b.view(p).countRealisations(2, T0, Infinity), a.view(p).countRealisations(2, T0, Infinity));
  });
}

void describe('MemoryTenantProfiles snapshots', () => {
  void it('restores a store that answers, and then changes, exactly as the original', () => {
    const original = populated();
    const restored = MemoryTenantProfiles.fromSnapshot(original.snapshotParts());
    assertSame(original, restored);
    // the same changes on both: freed indexes are reused in the same order, consents released alike
    for (const profiles of [original, restored]) {
      for (let i = 300; i < 310; i++) {
        const p = profiles.resolve(`c-${i}`, {}, true)!;
        profiles.recordEvent(p, event(`c-${i}`, T0, { consent: { gdpr: 1, tcf: 'CQ-shared' } }));
        profiles.addRealisation(p, 2, T0 + i);
      }
      profiles.remove(profiles.find('uid', 'c-2')!);
      profiles.forget(T0 + 200_000, () => 100_000, 1e12);
    }
    assertSame(original, restored);
  });

  void it('gives views, not copies: a restore from them copies, so the two stores then change apart', () => {
    const profiles = populated();
    const restored = MemoryTenantProfiles.fromSnapshot(profiles.snapshotParts());
    const p = profiles.find('uid', 'c-1')!;
    profiles.addRealisation(p, 9, T0);
    profiles.remove(profiles.find('uid', 'c-3')!);
    assert.equal(restored.view(p).countRealisations(9, -Infinity, Infinity), 0);
    assert.notEqual(restored.find('uid', 'c-3'), undefined);
    restored.addRealisation(p, 11, T0);
    assert.equal(profiles.view(p).countRealisations(11, -Infinity, Infinity), 0);
  });

  void it('restores an empty store', () => {
    const restored = MemoryTenantProfiles.fromSnapshot(new MemoryTenantProfiles().snapshotParts());
    assert.equal(restored.count(), 0);
    assert.equal(restored.resolve('c-1', {}, true), 0);
    assert.equal(restored.find('uid', 'c-1'), 0);
  });

  void it('refuses parts that are missing, of the wrong size or of another version, naming the part', () => {
    const parts = populated().snapshotParts();
    const without = (name: string) => parts.filter((part) => part.name !== name);
    assert.throws(() => MemoryTenantProfiles.fromSnapshot(without('ids.slots')), /ids\.slots is missing/);
    const cut = parts.map((part) =>
      part.name === 'columns.visits' ? { name: part.name, bytes: part.bytes.subarray(4) } : part,
    );
    assert.throws(() => MemoryTenantProfiles.fromSnapshot(cut), /columns\.visits/);
    const other = parts.map((part) =>
      part.name === 'profiles.meta'
        ? { name: part.name, bytes: new TextEncoder().encode('{"version":99,"littleEndian":true}') }
        : part,
    );
    assert.throws(() => MemoryTenantProfiles.fromSnapshot(other), /profiles\.meta/);
  });

  void it('names every part once and exports columns trimmed to what is used', () => {
    const profiles = new MemoryTenantProfiles();
    for (let i = 0; i < 20; i++) profiles.resolve(`c-${i}`, {}, true);
    const parts = profiles.snapshotParts();
    const names = parts.map((part) => part.name);
    assert.equal(new Set(names).size, names.length);
    const visits = parts.find((part) => part.name === 'columns.visits');
    assert.equal(visits?.bytes.length, 20 * 4, 'the column has room for 32 but 20 are used');
  });
});
