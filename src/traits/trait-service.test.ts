import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryCatalog } from '../catalog/testing/memory-catalog.ts';
import { manualClock } from '../core/clock.ts';
import type { CollectedEvent } from '../core/event.ts';
import { ServiceError } from '../core/service-error.ts';
import { Audit } from '../governance/audit.ts';
import type { LogRecord } from '../log/event-log.ts';
import { createMemoryEventLog } from '../log/testing/memory-event-log.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { SegmentService } from '../segments/segment-service.ts';
import { TraitService } from './trait-service.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

/**
 * The trait service on the in-memory catalog and log fakes (both pass the contract suites of
 * test/contracts): no database, no directory, no fsync, so each case takes milliseconds.
 */
async function world() {
  const clock = manualClock(NOW);
  const catalog = createMemoryCatalog({ clock });
  const log = createMemoryEventLog({ now: () => clock.now() });
  const qualify = testQualify(createMemoryProfileStore());
  const audit = new Audit(catalog);
  const traits = new TraitService(catalog, qualify, log, clock, audit);
  const segments = new SegmentService(catalog, qualify, clock, audit);
  const { tenant } = await catalog.createTenant('acme');
  /** what the ingest path does: append durably, then apply */
  const send = async (uid: string, path: string, ts: number): Promise<void> => {
    const event: CollectedEvent = {
      uid,
      ids: {},
      type: 'pageview',
      ts,
      url: { href: `https://shop.example.com${path}`, host: 'shop.example.com', path, query: {} },
      utm: {},
      signals: {},
      geo: {},
      device: {},
    };
    const record: LogRecord = { kind: 'event', tenant, event };
    qualify.apply(await log.append([record]), record);
  };
  /** the visitor's realisation counts by trait code */
  const traitsOf = async (uid: string): Promise<Record<string, number>> => {
    const profiles = qualify.profilesOf(tenant);
    const p = profiles.find('uid', uid);
    if (p === undefined) return {};
    const codes = new Map((await catalog.listTraits(tenant)).map((t) => [t.id, t.code]));
    return Object.fromEntries(profiles.traitSummaries(p).map((s) => [codes.get(s.traitId) ?? '?', s.count]));
  };
  return { catalog, log, traits, segments, tenant, send, traitsOf };
}

test('a new trait applies from the next log record on; with backfill to the stored events of its lifetime', async () => {
  const { log, traits, tenant, send, traitsOf } = await world();
  await send('early', '/shoes/red', NOW - 10 * DAY);
  await send('ancient', '/shoes/old', NOW - 100 * DAY);

  const plain = await traits.create(tenant, {
    code: 'shoes',
    name: 'Shoes',
    rule: 'url.path startsWith "/shoes"',
  });
  assert.deepEqual(
    plain.versions.map((v) => v.fromSeq),
    [log.lastSeq() + 1],
  );
  const backfilled = await traits.create(tenant, {
    code: 'shoes_60d',
    name: 'Shoes, 60 days',
    rule: 'url.path startsWith "/shoes"',
    lifetimeDays: 60,
    backfill: true,
  });
  assert.deepEqual(
    backfilled.versions.map((v) => v.fromSeq),
    [0],
  );
  assert.deepEqual(await traitsOf('early'), { shoes_60d: 1 }, 'history is rewritten only with backfill');
  assert.deepEqual(await traitsOf('ancient'), {}, 'backfill stays within the lifetime');

  await send('early', '/shoes/blue', NOW - 1000);
  assert.deepEqual(await traitsOf('early'), { shoes: 1, shoes_60d: 2 });
});

test('a changed rule is a new version from the next record; earlier realisations stay; every change is audited', async () => {
  const { catalog, log, traits, tenant, send, traitsOf } = await world();
  const created = await traits.create(
    tenant,
    { code: 'shoes', name: 'Shoes', rule: 'url.path startsWith "/shoes"' },
    'key:ab12',
  );
  await send('v', '/shoes/red', NOW - 2000);
  const changed = await traits.update(tenant, 'shoes', { rule: 'url.path startsWith "/boots"' }, 'key:ab12');
  assert.deepEqual(
    changed.versions.map((v) => [v.rule, v.fromSeq]),
    [
      ['url.path startsWith "/shoes"', 1],
      ['url.path startsWith "/boots"', log.lastSeq() + 1],
    ],
  );
  await send('v', '/shoes/green', NOW - 1000);
  await send('v', '/boots/brown', NOW - 500);
  assert.deepEqual(
    await traitsOf('v'),
    { shoes: 2 },
    'the red shoes (old rule) and the brown boots (new rule)',
  );
  assert.deepEqual(
    (await catalog.listAudit(tenant, { limit: 10 })).map((e) => [
      e.actor,
      e.action,
      e.target,
      e.before,
      e.after,
    ]),
    [
      ['key:ab12', 'trait.create', 'trait:shoes', undefined, created],
      ['key:ab12', 'trait.update', 'trait:shoes', created, changed],
    ],
  );
});

test('a trait a segment uses cannot be deleted; once free, deleting it forgets its realisations', async () => {
  const { catalog, traits, segments, tenant, send, traitsOf } = await world();
  await traits.create(tenant, { code: 'shoes', name: 'Shoes', rule: 'url.path startsWith "/shoes"' });
  await send('v', '/shoes/red', NOW - 1000);
  await segments.create(tenant, { code: 'shoppers', name: 'Shoppers', rule: 'trait:shoes' });
  await assert.rejects(
    traits.remove(tenant, 'shoes'),
    (e: unknown) =>
      e instanceof ServiceError && e.status === 409 && /used by segment\(s\) shoppers/.test(e.message),
  );
  assert.deepEqual(await traitsOf('v'), { shoes: 1 });
  await segments.remove(tenant, 'shoppers');
  await traits.remove(tenant, 'shoes', 'key:ab12');
  assert.deepEqual(await traitsOf('v'), {});
  assert.equal(await catalog.getTrait(tenant, 'shoes'), undefined);
  await assert.rejects(
    traits.get(tenant, 'shoes'),
    (e: unknown) => e instanceof ServiceError && e.status === 404,
  );
  assert.deepEqual(
    (await catalog.listAudit(tenant, { limit: 10, action: 'trait.delete' })).map((e) => e.actor),
    ['key:ab12'],
  );
});
