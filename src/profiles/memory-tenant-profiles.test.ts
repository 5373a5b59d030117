import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { MemoryTenantProfiles } from './memory-tenant-profiles.ts';

// The semantics of `TenantProfiles` are checked by the contract suite, test/contracts/profile-store.contract.ts;
// what is here is this adapter's own: which index a new profile gets.

const T0 = Date.UTC(2025, 10, 20, 10, 0, 0);
const DAY = 86_400_000;

function event(ts: number): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts, utm: {}, signals: {}, geo: {}, device: {} };
}

function created(profiles: MemoryTenantProfiles, uid: string, ids: Record<string, string> = {}): number {
  const p = profiles.resolve(uid, ids, true);
  assert.notEqual(p, undefined);
  return p ?? -1;
}

void describe('MemoryTenantProfiles indexes', () => {
  void it('gives dense indexes from 0 and reuses a freed one first, with nothing of its old profile', () => {
    const profiles = new MemoryTenantProfiles();
    const stale = created(profiles, 'c-old', { maid: 'm-old' });
    const fresh = created(profiles, 'c-new');
    assert.deepEqual([stale, fresh], [0, 1]);
    profiles.recordEvent(stale, event(T0 - 120 * DAY));
    profiles.recordEvent(fresh, event(T0 - 120 * DAY + 1));
    profiles.addRealisation(stale, 7, T0);
    assert.equal(profiles.forget(T0, () => 365 * DAY, 120 * DAY).profilesRemoved, 1);
    const reused = created(profiles, 'c-3');
    assert.equal(reused, stale);
    assert.deepEqual(profiles.idsOf(reused), { uid: 'c-3' });
    assert.deepEqual(profiles.traitSummaries(reused), []);
    assert.equal(profiles.view(reused).attribute('last_seen'), undefined);
    profiles.remove(fresh);
    assert.equal(created(profiles, 'c-4'), fresh);
    assert.equal(created(profiles, 'c-5'), 2);
  });
});
