import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectedEvent } from '../core/event.ts';
import { DEFAULT_ID_CAPS, DEFAULT_IDS_PER_PROFILE } from '../core/identity/index.ts';
import type { LogRecord } from '../log/event-log.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import type { SnapshotPart } from '../profiles/profile-store.ts';
import { DEFAULT_LINK_LIMITS, TenantIdLimits } from './tenant-id-limits.ts';
import { testQualify } from './testing/test-qualify.ts';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;

function event(uid: string, ids: Record<string, string>, ts: number): LogRecord {
  const e: CollectedEvent = { uid, ids, ts, type: 'login', utm: {}, signals: {}, geo: {}, device: {} };
  return { kind: 'event', tenant: 't', event: e };
}

/** One cookie logs in, then three phones (each its own MAID, seen with our cookie) log in under the same hash. */
function history(limitsAt: number | undefined): LogRecord[] {
  const records: LogRecord[] = [event('c-laptop', { email_sha256: 'h' }, T0)];
  for (let i = 1; i <= 3; i++)
    records.push(event(`c-phone${i}`, { maid: `m-${i}`, email_sha256: 'h' }, T0 + i * MIN));
  if (limitsAt !== undefined)
    records.splice(limitsAt, 0, {
      kind: 'identity',
      tenant: 't',
      caps: { perType: { ...DEFAULT_ID_CAPS.perType, maid: 1 }, otherwise: 3 },
      perProfile: DEFAULT_IDS_PER_PROFILE,
    });
  return records;
}

function replay(records: readonly LogRecord[]) {
  const store = createMemoryProfileStore();
  const qualify = testQualify(store);
  records.forEach((record, i) => qualify.apply(i + 1, record));
  const profiles = store.tenant('t');
  const p = profiles.find('email_sha256', 'h')!;
  const maids = profiles
    .allIds(p)
    .filter((id) => id.type === 'maid')
    .map((id) => id.value)
    .sort();
  return { qualify, profiles, maids };
}

void describe('ID limits from the log', () => {
  void it('keep the default caps until an identity record, then cap later links by its caps', () => {
    assert.deepEqual(replay(history(undefined)).maids, ['m-1', 'm-2', 'm-3'], 'the default keeps 5 MAIDs');
    // the record before the first phone: each link keeps only the newest MAID
    assert.deepEqual(replay(history(1)).maids, ['m-3']);
  });

  void it('apply where the record stands: links before it keep what they attached', () => {
    // after two phones: both MAIDs were kept; the third link caps the profile to its newest MAID
    const { maids, profiles } = replay(history(3));
    assert.deepEqual(maids, ['m-3']);
    assert.equal(profiles.find('maid', 'm-1'), undefined, 'a dropped MAID no longer finds the profile');
  });

  void it('survive a snapshot: restored limits cap the log replayed after it as the live run did', () => {
    const records = history(1);
    const live = replay(records);
    const parts = live.qualify.idLimits.snapshotParts('t');
    assert.equal(parts.length, 1);
    const restored = new TenantIdLimits();
    restored.restore('t', parts as SnapshotPart[]);
    assert.deepEqual(restored.of('t'), live.qualify.idLimits.of('t'));
    assert.equal(restored.of('t').caps?.perType.maid, 1);
    restored.restore('t', []);
    assert.deepEqual(restored.of('t'), DEFAULT_LINK_LIMITS, 'a snapshot without the part: the defaults');
  });

  void it('write no snapshot part while the defaults apply', () => {
    assert.deepEqual(new TenantIdLimits().snapshotParts('t'), []);
  });
});
