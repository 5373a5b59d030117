import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent } from '../core/event.ts';
import { DAY_MS } from '../core/clock.ts';
import type { SnapshotPart, StreamedPart } from '../profiles/profile-store.ts';
import { EventIdDedup, MIN_DEDUP_WINDOW_MS } from './event-id-dedup.ts';

const T0 = Date.UTC(2026, 11, 1);

function event(id: string | undefined, uid = 'c-1'): CollectedEvent {
  const e: CollectedEvent = {
    uid,
    ids: {},
    type: 'pageview',
    ts: T0,
    utm: {},
    signals: {},
    geo: {},
    device: {},
  };
  if (id !== undefined) e.id = id;
  return e;
}

/** What the ingest service does with a batch: claim, "store" the fresh ones, accept their IDs, release. */
async function store(
  ids: EventIdDedup,
  batch: CollectedEvent[],
  at: number,
  stored: string[],
): Promise<number> {
  const claim = ids.claimNow('t1', batch, at) ?? (await ids.claim('t1', batch, at));
  try {
    for (const e of claim.fresh) {
      stored.push(e.id ?? '(none)');
      if (e.id !== undefined) ids.accept('t1', e.id, at);
    }
    return claim.duplicates;
  } finally {
    claim.release();
  }
}

function partBytes(part: StreamedPart | SnapshotPart): Uint8Array {
  return 'bytes' in part ? part.bytes : Buffer.concat([...part.pieces()]);
}

void test('a retried ID is a duplicate; events without an ID are never', async () => {
  const ids = new EventIdDedup();
  const stored: string[] = [];
  assert.equal(await store(ids, [event('a'), event('b'), event(undefined)], T0, stored), 0);
  assert.equal(
    await store(ids, [event('a'), event('b'), event(undefined), event('c')], T0 + 1000, stored),
    2,
  );
  assert.deepEqual(stored, ['a', 'b', '(none)', '(none)', 'c']);
});

void test('the same ID twice in one batch is stored once', async () => {
  const ids = new EventIdDedup();
  const stored: string[] = [];
  assert.equal(await store(ids, [event('a'), event('a'), event('b'), event('a')], T0, stored), 2);
  assert.deepEqual(stored, ['a', 'b']);
});

void test('a reservation given back (the event was dropped, or the append failed) is fresh again', () => {
  const ids = new EventIdDedup();
  const first = ids.claimNow('t1', [event('a')], T0);
  assert.ok(first !== undefined);
  first.release(); // never accepted
  const again = ids.claimNow('t1', [event('a')], T0);
  assert.deepEqual(
    again?.fresh.map((e) => e.id),
    ['a'],
  );
  assert.equal(again?.duplicates, 0);
});

void test('a concurrent retry waits for the first request: duplicate if it was stored, fresh if not', async () => {
  const ids = new EventIdDedup();
  const first = ids.claimNow('t1', [event('a'), event('b')], T0);
  assert.ok(first !== undefined);
  assert.equal(ids.claimNow('t1', [event('b')], T0), undefined, 'b is held by the first request');
  const second = ids.claim('t1', [event('a'), event('b'), event('c')], T0);
  ids.accept('t1', 'a', T0); // stored
  first.release(); // b was not (dropped): given back
  const claim = await second;
  assert.deepEqual(
    claim.fresh.map((e) => e.id),
    ['b', 'c'],
  );
  assert.equal(claim.duplicates, 1);
  claim.release();
});

void test('two batches that hold IDs the other wants do not wait on each other', async () => {
  const ids = new EventIdDedup();
  const a = ids.claimNow('t1', [event('x')], T0);
  const b = ids.claimNow('t1', [event('y')], T0);
  assert.ok(a !== undefined && b !== undefined);
  const crossA = ids.claim('t1', [event('y'), event('x2')], T0);
  const crossB = ids.claim('t1', [event('x'), event('y2')], T0);
  a.release();
  b.release();
  const [ca, cb] = await Promise.all([crossA, crossB]);
  assert.equal(ca.fresh.length + cb.fresh.length, 4);
  ca.release();
  cb.release();
});

void test('IDs are forgotten once the window has passed since they arrived (not since their event time)', async () => {
  const ids = new EventIdDedup(MIN_DEDUP_WINDOW_MS);
  const stored: string[] = [];
  await store(ids, [event('a')], T0, stored);
  assert.equal(await store(ids, [event('a')], T0 + MIN_DEDUP_WINDOW_MS - 1, stored), 1);
  assert.equal(await store(ids, [event('b')], T0 + MIN_DEDUP_WINDOW_MS + 1, stored), 0);
  assert.equal(ids.size('t1'), 1, 'a is forgotten, b is held');
  assert.equal(await store(ids, [event('a')], T0 + MIN_DEDUP_WINDOW_MS + 2, stored), 0);
});

void test('tenants are apart: the same ID in two tenants is two events', () => {
  const ids = new EventIdDedup();
  ids.accept('t1', 'a', T0);
  assert.equal(ids.claimNow('t2', [event('a')], T0)?.duplicates, 0);
  assert.equal(ids.claimNow('t1', [event('a')], T0)?.duplicates, 1);
});

void test('a snapshot part gives back every accepted ID with its arrival time, a lone surrogate included', () => {
  const ids = new EventIdDedup();
  const accepted = ['order-1', '\ud800x', 'é'.repeat(128), 'z'.repeat(128)];
  accepted.forEach((id, i) => ids.accept('t1', id, T0 + i));
  ids.claimNow('t1', [event('in-flight')], T0); // a reservation is not written
  const parts = ids.snapshotParts('t1');
  assert.equal(parts.length, 1);
  const restored = new EventIdDedup();
  const part = parts[0];
  assert.ok(part !== undefined);
  restored.restore('t1', [{ name: part.name, bytes: partBytes(part) }]);
  assert.equal(restored.size('t1'), accepted.length);
  const claim = restored.claimNow(
    't1',
    [...accepted, 'in-flight'].map((id) => event(id)),
    T0 + 10,
  );
  assert.equal(claim?.duplicates, accepted.length);
  assert.deepEqual(
    claim?.fresh.map((e) => e.id),
    ['in-flight'],
  );
  // the oldest is forgotten first after a restore too
  const late = restored.claimNow('t1', [event('order-1'), event('\ud800x')], T0 + MIN_DEDUP_WINDOW_MS + 0.5);
  assert.deepEqual(
    late?.fresh.map((e) => e.id),
    ['order-1'],
  );
});

void test('a damaged snapshot part is refused, so the log is replayed instead', () => {
  const ids = new EventIdDedup();
  ids.accept('t1', 'order-1', T0);
  const part = ids.snapshotParts('t1')[0];
  assert.ok(part !== undefined);
  const bytes = Buffer.from(partBytes(part));
  assert.throws(() => new EventIdDedup().restore('t1', [{ name: part.name, bytes: bytes.subarray(0, -1) }]));
  bytes.writeUInt32LE(99, 0);
  assert.throws(() => new EventIdDedup().restore('t1', [{ name: part.name, bytes }]), /version/);
});

void test('replayed log records rebuild the IDs by their append time', () => {
  const ids = new EventIdDedup(8 * DAY_MS);
  ids.replayed({ kind: 'event', tenant: 't1', event: event('a') }, T0);
  ids.replayed({ kind: 'event', tenant: 't1', event: event(undefined) }, T0);
  ids.replayed({ kind: 'delete', tenant: 't1', uid: 'c-1' }, T0);
  ids.replayed({ kind: 'event', tenant: 't1', event: event('b') }, T0 + 8 * DAY_MS + 1);
  assert.equal(ids.size('t1'), 1, 'a arrived more than the window before b');
  assert.equal(ids.claimNow('t1', [event('b')], T0 + 8 * DAY_MS + 2)?.duplicates, 1);
});

void test('property: whatever the batches, retries and failures, each ID is stored at most once within the window', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          ids: fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: undefined }), {
            maxLength: 6,
          }),
          fails: fc.boolean(),
          concurrent: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
      async (batches) => {
        const ids = new EventIdDedup();
        const stored: string[] = [];
        const running: Promise<void>[] = [];
        for (const batch of batches) {
          const run = (async () => {
            const events = batch.ids.map((id) => event(id));
            const claim = ids.claimNow('t1', events, T0) ?? (await ids.claim('t1', events, T0));
            await Promise.resolve(); // the append
            try {
              if (batch.fails) return;
              for (const e of claim.fresh)
                if (e.id !== undefined) {
                  stored.push(e.id);
                  ids.accept('t1', e.id, T0);
                }
            } finally {
              claim.release();
            }
          })();
          if (batch.concurrent) running.push(run);
          else await run;
        }
        await Promise.all(running);
        assert.equal(new Set(stored).size, stored.length, `stored twice: ${stored.join(',')}`);
        const offered = new Set(batches.filter((b) => !b.fails).flatMap((b) => b.ids));
        offered.delete(undefined);
        for (const id of offered) assert.ok(stored.includes(id as string), `${String(id)} was never stored`);
      },
    ),
  );
});
