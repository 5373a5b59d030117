import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../core/clock.ts';
import type { SegmentInput } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const london: SegmentInput = {
  code: 'london_pricing',
  name: 'London pricing visitors',
  rule: 'trait:pricing_visitor[within 30d] and geo.city == "London"',
  ruleJson: { and: [{ trait: 'pricing_visitor' }, { eq: ['geo.city', 'London'] }] },
  description: 'Warm leads in London',
  integrationCode: 'LDN',
};

function isCatalogError(code: CatalogError['code'], text?: string): (e: unknown) => boolean {
  return (e) =>
    e instanceof CatalogError && e.code === code && (text === undefined || e.message.includes(text));
}

void test('createSegment, getSegment, listSegments, updateSegment and deleteSegment', async () => {
  const clock = manualClock(t0);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  await catalog.createTenant('acme');
  const created = await catalog.createSegment('acme', london);
  assert.equal(typeof created.id, 'number');
  assert.deepEqual(created, {
    id: created.id,
    ...london,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual(await catalog.getSegment('acme', 'london_pricing'), created);
  const plain = await catalog.createSegment('acme', {
    code: 'all',
    name: 'All',
    rule: 'true',
    ruleJson: true,
  });
  assert.equal('description' in plain, false);
  assert.equal('integrationCode' in plain, false);
  assert.ok(plain.id > created.id);
  assert.deepEqual(await catalog.listSegments('acme'), [created, plain]);

  clock.advance(5000);
  const updated = await catalog.updateSegment('acme', 'london_pricing', {
    rule: 'geo.city == "Paris"',
    ruleJson: { eq: ['geo.city', 'Paris'] },
    description: '',
  });
  assert.deepEqual(updated, {
    id: created.id,
    code: 'london_pricing',
    name: london.name,
    rule: 'geo.city == "Paris"',
    ruleJson: { eq: ['geo.city', 'Paris'] },
    integrationCode: 'LDN',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:05.000Z',
  });
  const renamed = await catalog.updateSegment('acme', 'london_pricing', { name: 'Paris' });
  assert.equal(renamed.name, 'Paris');
  assert.equal(renamed.rule, 'geo.city == "Paris"');
  assert.deepEqual(await catalog.getSegment('acme', 'london_pricing'), renamed);

  await catalog.deleteSegment('acme', 'london_pricing');
  assert.equal(await catalog.getSegment('acme', 'london_pricing'), undefined);
  assert.deepEqual(await catalog.listSegments('acme'), [plain]);
  await catalog.close();
});

void test('segment errors: conflict, not found, unknown tenant, new rule without ruleJson', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.createTenant('acme');
  const before = await catalog.createSegment('acme', london);
  await assert.rejects(
    catalog.createSegment('acme', { ...london, name: 'Other' }),
    isCatalogError('conflict', "segment 'london_pricing' already exists in this tenant"),
  );
  await assert.rejects(
    catalog.createSegment('nobody', london),
    isCatalogError('not_found', "tenant 'nobody'"),
  );
  await assert.rejects(
    catalog.updateSegment('acme', 'nope', { name: 'x' }),
    isCatalogError('not_found', "segment 'nope'"),
  );
  await assert.rejects(catalog.deleteSegment('acme', 'nope'), isCatalogError('not_found', "segment 'nope'"));
  await assert.rejects(
    catalog.updateSegment('acme', 'london_pricing', { rule: 'x' }),
    isCatalogError('invalid', 'ruleJson'),
  );
  await assert.rejects(
    catalog.updateSegment('acme', 'london_pricing', { name: ' ' }),
    isCatalogError('invalid', 'name'),
  );
  assert.deepEqual(await catalog.listSegments('acme'), [before]);
  await catalog.close();
});
