import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { manualClock } from '../core/clock.ts';
import { ServiceError } from '../core/service-error.ts';
import type { IdLinksRecord } from '../core/identity/index.ts';
import { Audit } from '../governance/audit.ts';
import { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { IdLinksService } from './id-links-service.ts';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const maid = (n: number): string => `6d92078a-8246-4ba4-ae5b-${String(n).padStart(12, '0')}`;

/** The service over a real catalog, opt-out registry and qualify service; appends go straight to qualify. */
async function setUp() {
  const clock = manualClock(T0);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  const { tenant } = await catalog.createTenant('acme');
  const optOuts = new OptOutRegistry(catalog);
  await optOuts.load(tenant);
  const store = createMemoryProfileStore();
  const qualify = testQualify(store);
  const appended: IdLinksRecord[] = [];
  let seq = 0;
  const links = new IdLinksService({
    append: async (records) => {
      for (const record of records) {
        appended.push(record);
        qualify.apply(++seq, record);
      }
      return seq;
    },
    outcomeOf: (record) => qualify.linksOutcome(record),
    optOuts,
    audit: new Audit(catalog),
    clock,
    rowsPerRecord: 2,
  });
  // five visitors, each known by our cookie and a CRM ID
  for (let i = 1; i <= 5; i++)
    qualify.apply(++seq, { kind: 'event', tenant, event: visit(`c-${i}`, { crm: `C-${i}` }) });
  return { catalog, tenant, optOuts, profiles: store.tenant(tenant), links, appended };
}

function visit(uid: string, ids: Record<string, string>) {
  return { uid, ids, type: 'pageview', ts: T0 - 60_000, utm: {}, signals: {}, geo: {}, device: {} };
}

test('a link file goes to the log in chunks of rows, its counts summed over them and audited', async () => {
  const { catalog, tenant, optOuts, profiles, links, appended } = await setUp();
  await optOuts.add(tenant, 'maid', maid(9));
  const file = [
    'crm,maid,uid',
    `C-1,${maid(1)},`, // one holder: the device ID attached
    `C-2,,c-3`, // two holders: merged
    `C-4,${maid(4)},c-5`, // two holders: merged
    `C-8,${maid(8)},`, // none: unmatched
    `C-9,${maid(9)},`, // opted out: skipped
    `C-6,,`, // one ID: skipped
    `C-7,not-a-device,`, // rejected
  ].join('\n');
  const report = await links.link(tenant, file, 'csv', 'key:test');
  assert.deepEqual(
    { ...report, errors: report.errors.map((e) => `${e.row} ${e.column}`) },
    { rows: 7, linked: 3, merged: 2, unmatched: 1, skipped: 2, rejected: 1, errors: ['8 maid'] },
  );
  assert.deepEqual(
    appended.map((r) => r.rows.length),
    [2, 2],
    'four rows to link, two a record',
  );
  assert.ok(appended.every((r) => r.ts === T0 && r.tenant === tenant));
  assert.equal(profiles.count(), 3);
  assert.equal(profiles.find('maid', maid(1)), profiles.find('uid', 'c-1'));
  assert.equal(profiles.find('uid', 'c-3'), profiles.find('crm', 'C-2'));
  assert.equal(profiles.find('maid', maid(8)), undefined);
  assert.equal(profiles.find('maid', maid(9)), undefined);
  const [entry] = await catalog.listAudit(tenant, { limit: 10 });
  assert.equal(entry?.action, 'identity.links');
  assert.doesNotMatch(JSON.stringify(entry), /C-1|6d92078a/, 'the audit entry names no ID');
});

test('a header that cannot be read is a 422 and nothing is appended', async () => {
  const { tenant, links, appended } = await setUp();
  await assert.rejects(links.link(tenant, 'crm\nC-1\n', 'csv', 'key:test'), (error: unknown) => {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.status, 422);
    return true;
  });
  assert.equal(appended.length, 0);
  const empty = await links.link(tenant, 'crm,maid\n', 'csv', 'key:test');
  assert.deepEqual(empty, {
    rows: 0,
    linked: 0,
    merged: 0,
    unmatched: 0,
    skipped: 0,
    rejected: 0,
    errors: [],
  });
  assert.equal(appended.length, 0, 'no row: no record');
});
