import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../core/clock.ts';
import type { CollectedEvent } from '../core/event.ts';
import { ServiceError } from '../core/service-error.ts';
import type { LogRecord } from '../log/event-log.ts';
import { openFileEventLog } from '../log/file-event-log.ts';
import { visitorMatcher } from '../log/visitor-matcher.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { PREVIEW_BOUNDS, TraitPreview } from './trait-preview.ts';
import type { PreviewBounds } from './trait-preview.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const PRICING = 'url.path startsWith "/pricing"';

/** A page view of `path` by `uid`. */
function view(tenant: string, uid: string, path: string): LogRecord {
  const event: CollectedEvent = {
    uid,
    ids: {},
    type: 'pageview',
    ts: NOW,
    url: { href: `https://shop.example.com${path}`, host: 'shop.example.com', path, query: {} },
    utm: {},
    signals: {},
    geo: {},
    device: {},
  };
  return { kind: 'event', tenant, event };
}

/** The real file event log in a temp folder, its append times from a manual clock the preview reads too. */
async function world(t: { after(fn: () => Promise<void>): void }, bounds: PreviewBounds = PREVIEW_BOUNDS) {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-preview-'));
  const clock = manualClock(NOW);
  const log = await openFileEventLog(dir, { now: () => clock.now(), segmentBytes: 64 * 1024 });
  t.after(async () => {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  const preview = new TraitPreview(log, testQualify(createMemoryProfileStore()), clock, bounds);
  return { clock, log, preview };
}

test("counts the tenant's events the rule matches, and no other tenant's", async (t) => {
  const { log, preview } = await world(t);
  await log.append([
    view('acme', 'a1', '/pricing'),
    view('acme', 'a1', '/home'),
    view('beta', 'b1', '/pricing'),
    view('acme', 'a2', '/pricing/team'),
    { kind: 'delete', tenant: 'acme', uid: 'zz' },
    view('beta', 'b2', '/pricing'),
    view('acme', 'a3', '/cart'),
  ]);
  const answer = await preview.preview('acme', { rule: PRICING });
  assert.deepEqual(answer, {
    matched: 2,
    scanned: 4,
    from: new Date(NOW).toISOString(),
    to: new Date(NOW).toISOString(),
    window: { maxEvents: 10_000, maxAgeHours: 24, limitedBy: 'none' },
  });
  assert.equal((await preview.preview('beta', { rule: PRICING })).matched, 2);
  assert.deepEqual(await preview.preview('nobody', { rule: PRICING }), {
    matched: 0,
    scanned: 0,
    from: null,
    to: null,
    window: { maxEvents: 10_000, maxAgeHours: 24, limitedBy: 'none' },
  });
});

test("a deleted visitor's events, erased from the log, no longer count", async (t) => {
  const { log, preview } = await world(t);
  await log.append([
    view('acme', 'a1', '/pricing'),
    view('acme', 'a2', '/pricing'),
    view('acme', 'a2', '/x'),
  ]);
  assert.deepEqual(
    [
      (await preview.preview('acme', { rule: PRICING })).matched,
      (await preview.preview('acme', { rule: PRICING })).scanned,
    ],
    [2, 3],
  );
  const seq = await log.append([{ kind: 'delete', tenant: 'acme', uid: 'a2' }]);
  await log.erase(visitorMatcher('acme', 'a2', {}, { beforeSeq: seq }));
  const after = await preview.preview('acme', { rule: PRICING });
  assert.deepEqual([after.matched, after.scanned], [1, 1]);
});

test('reads only the newest maxEvents events (or `limit`), across chunks of other tenants', async (t) => {
  const { clock, log, preview } = await world(t, { ...PREVIEW_BOUNDS, maxEvents: 5 });
  // acme's 8 events, 1 minute apart, each followed by 3,000 of beta's: the preview reads back past them
  for (let i = 0; i < 8; i++) {
    await log.append([view('acme', `a${i}`, i % 2 === 0 ? '/pricing' : '/home')]);
    await log.append(Array.from({ length: 3000 }, (_, j) => view('beta', `b${j}`, '/pricing')));
    clock.advance(60_000);
  }
  const answer = await preview.preview('acme', { rule: PRICING });
  // the newest 5 are a3..a7: a4 and a6 are on /pricing
  assert.deepEqual(answer, {
    matched: 2,
    scanned: 5,
    from: new Date(NOW + 3 * 60_000).toISOString(),
    to: new Date(NOW + 7 * 60_000).toISOString(),
    window: { maxEvents: 5, maxAgeHours: 24, limitedBy: 'events' },
  });
  const two = await preview.preview('acme', { rule: PRICING, limit: 2 });
  assert.deepEqual(
    [two.matched, two.scanned, two.window.maxEvents, two.window.limitedBy],
    [1, 2, 2, 'events'],
  );
  const more = await preview.preview('acme', { rule: PRICING, limit: 50 });
  assert.equal(more.window.maxEvents, 5, 'a limit above the bound is the bound');
});

test("reads at most the log's newest maxRecords records, whatever other tenants send", async (t) => {
  const { log, preview } = await world(t, { ...PREVIEW_BOUNDS, maxRecords: 2000 });
  await log.append([view('acme', 'a0', '/pricing'), view('acme', 'a1', '/pricing')]);
  await log.append(Array.from({ length: 1999 }, (_, j) => view('beta', `b${j}`, '/pricing')));
  await log.append([view('acme', 'a2', '/pricing'), view('acme', 'a3', '/home')]);
  // 2003 records; the newest 2000 are seqs 4..2003: 1998 of beta's and acme's a2, a3 (not a0, a1)
  const answer = await preview.preview('acme', { rule: PRICING });
  assert.deepEqual([answer.matched, answer.scanned, answer.window.limitedBy], [1, 2, 'records']);
  const beta = await preview.preview('beta', { rule: PRICING });
  assert.deepEqual([beta.scanned, beta.window.limitedBy], [1998, 'records']);
});

test('reads only events that reached the log within maxAgeMs', async (t) => {
  const { clock, log, preview } = await world(t);
  await log.append([view('acme', 'old', '/pricing'), view('acme', 'old', '/pricing')]);
  clock.advance(25 * HOUR);
  await log.append([view('acme', 'new', '/pricing'), view('acme', 'new', '/home')]);
  const answer = await preview.preview('acme', { rule: PRICING });
  const at = new Date(NOW + 25 * HOUR).toISOString();
  assert.deepEqual(answer, {
    matched: 1,
    scanned: 2,
    from: at,
    to: at,
    window: { maxEvents: 10_000, maxAgeHours: 24, limitedBy: 'age' },
  });
});

test('a rule that does not check is the 422 of POST /v1/traits, with the did-you-mean', async (t) => {
  const { preview } = await world(t);
  await assert.rejects(preview.preview('acme', { rule: 'url.pth startsWith "/pricing"' }), (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.status, 422);
    assert.deepEqual(
      (e.extra.errors as { line: number; column: number; message: string }[]).map((x) => [
        x.line,
        x.column,
        x.message,
      ]),
      [[1, 1, "unknown path 'url.pth'; did you mean 'url.path'?"]],
    );
    return true;
  });
  await assert.rejects(preview.preview('acme', { rule: 'trait:x' }), { status: 422 });
});
