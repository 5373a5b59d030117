import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../core/clock.ts';
import type { Catalog, TraitInput } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const pricing: TraitInput = {
  code: 'pricing_visitor',
  name: 'Visited pricing',
  rule: 'url.path startsWith "/pricing"',
  ruleJson: { op: 'startsWith', path: 'url.path', value: '/pricing' },
  lifetimeDays: 30,
  folder: 'Site/Intent',
  source: 'first-party',
  integrationCode: 'PV-1',
  description: 'People who looked at prices',
};

async function setUp(): Promise<{ catalog: Catalog; clock: ReturnType<typeof manualClock> }> {
  const clock = manualClock(t0);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  await catalog.createTenant('acme');
  return { catalog, clock };
}

function isCatalogError(code: CatalogError['code'], text?: string): (e: unknown) => boolean {
  return (e) =>
    e instanceof CatalogError && e.code === code && (text === undefined || e.message.includes(text));
}

void test('createTrait stores every field and version 1 from fromSeq; getTrait and listTraits read it back', async () => {
  const { catalog } = await setUp();
  const trait = await catalog.createTrait('acme', pricing, 42);
  assert.equal(typeof trait.id, 'number');
  assert.deepEqual(trait, {
    id: trait.id,
    code: 'pricing_visitor',
    name: 'Visited pricing',
    kind: 'rule',
    rule: pricing.rule,
    ruleJson: pricing.ruleJson,
    lifetimeDays: 30,
    folder: 'Site/Intent',
    source: 'first-party',
    integrationCode: 'PV-1',
    description: 'People who looked at prices',
    versions: [{ version: 1, rule: pricing.rule, ruleJson: pricing.ruleJson, fromSeq: 42 }],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual(await catalog.getTrait('acme', 'pricing_visitor'), trait);
  assert.deepEqual(await catalog.listTraits('acme'), [trait]);
  assert.equal(await catalog.getTrait('acme', 'nope'), undefined);
  await catalog.close();
});

void test('createTrait defaults: kind rule, 120 days, no folder, first-party source, no optional texts', async () => {
  const { catalog } = await setUp();
  const trait = await catalog.createTrait('acme', { code: 'x', name: 'X', rule: 'r', ruleJson: null }, 0);
  assert.equal(trait.kind, 'rule');
  assert.equal(trait.lifetimeDays, 120);
  assert.equal(trait.folder, '');
  assert.equal(trait.source, 'first-party');
  assert.equal('integrationCode' in trait, false);
  assert.equal('description' in trait, false);
  await catalog.close();
});

void test('trait IDs are integers unique across tenants and never reused after a delete', async () => {
  const { catalog } = await setUp();
  await catalog.createTenant('other');
  const a = await catalog.createTrait('acme', { ...pricing, code: 'a' }, 0);
  const b = await catalog.createTrait('other', { ...pricing, code: 'a' }, 0);
  await catalog.deleteTrait('other', 'a');
  const c = await catalog.createTrait('other', { ...pricing, code: 'a' }, 0);
  assert.ok(Number.isInteger(a.id) && Number.isInteger(b.id) && Number.isInteger(c.id));
  assert.equal(new Set([a.id, b.id, c.id]).size, 3);
  assert.ok(c.id > b.id);
  await catalog.close();
});

void test('createTrait: a taken code is a conflict, an unknown source is invalid and names the known ones', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', pricing, 0);
  await assert.rejects(
    catalog.createTrait('acme', pricing, 0),
    isCatalogError('conflict', "trait 'pricing_visitor' already exists in this tenant"),
  );
  await assert.rejects(
    catalog.createTrait('acme', { ...pricing, code: 'y', source: 'nowhere' }, 0),
    isCatalogError('invalid', "unknown data source 'nowhere'; known: first-party, second-party, third-party"),
  );
  await assert.rejects(
    catalog.createTrait('nobody', pricing, 0),
    isCatalogError('not_found', "tenant 'nobody'"),
  );
  await assert.rejects(
    catalog.createTrait('acme', { ...pricing, code: 'z', lifetimeDays: 0 }, 0),
    isCatalogError('invalid', 'lifetimeDays'),
  );
  await assert.rejects(
    catalog.createTrait('acme', { ...pricing, code: 'z' }, -1),
    isCatalogError('invalid', 'fromSeq'),
  );
  await assert.rejects(
    catalog.createTrait('acme', { ...pricing, code: '' }, 0),
    isCatalogError('invalid', 'code'),
  );
  assert.equal((await catalog.listTraits('acme')).length, 1);
  await catalog.close();
});

void test('createTrait accepts a data source the tenant created', async () => {
  const { catalog } = await setUp();
  await catalog.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
  const trait = await catalog.createTrait('acme', { ...pricing, kind: 'third-party', source: 'feed' }, 0);
  assert.equal(trait.source, 'feed');
  assert.equal(trait.kind, 'third-party');
  await catalog.close();
});

void test('updateTrait with a new rule appends a version from fromSeq; the old one stays in force before it', async () => {
  const { catalog, clock } = await setUp();
  await catalog.createTrait('acme', pricing, 10);
  clock.advance(60_000);
  const updated = await catalog.updateTrait(
    'acme',
    'pricing_visitor',
    { rule: 'r2', ruleJson: { v: 2 } },
    50,
  );
  assert.equal(updated.rule, 'r2');
  assert.deepEqual(updated.ruleJson, { v: 2 });
  assert.deepEqual(updated.versions, [
    { version: 1, rule: pricing.rule, ruleJson: pricing.ruleJson, fromSeq: 10 },
    { version: 2, rule: 'r2', ruleJson: { v: 2 }, fromSeq: 50 },
  ]);
  assert.equal(updated.createdAt, '2026-01-01T00:00:00.000Z');
  assert.equal(updated.updatedAt, '2026-01-01T00:01:00.000Z');
  const third = await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r3', ruleJson: { v: 3 } }, 80);
  assert.deepEqual(
    third.versions.map((v) => [v.version, v.fromSeq]),
    [
      [1, 10],
      [2, 50],
      [3, 80],
    ],
  );
  assert.deepEqual(await catalog.getTrait('acme', 'pricing_visitor'), third);
  await catalog.close();
});

void test('updateTrait with backfill (fromSeq 0) deletes every earlier version; numbering goes on', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', pricing, 10);
  await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r2', ruleJson: 2 }, 50);
  const backfilled = await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r3', ruleJson: 3 }, 0);
  assert.deepEqual(backfilled.versions, [{ version: 3, rule: 'r3', ruleJson: 3, fromSeq: 0 }]);
  const after = await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r4', ruleJson: 4 }, 70);
  assert.deepEqual(
    after.versions.map((v) => [v.version, v.rule, v.fromSeq]),
    [
      [3, 'r3', 0],
      [4, 'r4', 70],
    ],
  );
  await catalog.close();
});

void test('two new rules at the same log position: only the later stays in force', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', pricing, 10);
  await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r2', ruleJson: 2 }, 50);
  const again = await catalog.updateTrait('acme', 'pricing_visitor', { rule: 'r3', ruleJson: 3 }, 50);
  assert.deepEqual(
    again.versions.map((v) => [v.version, v.rule, v.fromSeq]),
    [
      [1, pricing.rule, 10],
      [3, 'r3', 50],
    ],
  );
  await catalog.close();
});

void test('updateTrait changes other fields in place without a new version', async () => {
  const { catalog, clock } = await setUp();
  await catalog.createDataSource('acme', { code: 'partner', name: 'Partner', party: 'second' });
  const before = await catalog.createTrait('acme', pricing, 10);
  clock.advance(1000);
  const after = await catalog.updateTrait(
    'acme',
    'pricing_visitor',
    {
      name: 'Pricing page',
      lifetimeDays: 7,
      folder: 'Intent',
      source: 'partner',
      kind: 'onboarded',
      description: '',
      integrationCode: 'PV-2',
      rule: pricing.rule,
    },
    99,
  );
  const { description: _gone, ...kept } = before;
  assert.deepEqual(after, {
    ...kept,
    name: 'Pricing page',
    lifetimeDays: 7,
    folder: 'Intent',
    source: 'partner',
    kind: 'onboarded',
    integrationCode: 'PV-2',
    updatedAt: '2026-01-01T00:00:01.000Z',
  });
  assert.equal('description' in after, false);
  assert.deepEqual(after.versions, before.versions);
  await catalog.close();
});

void test('updateTrait: the same rule with a new ruleJson updates it in place', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', pricing, 10);
  const after = await catalog.updateTrait('acme', 'pricing_visitor', { ruleJson: { reparsed: true } }, 20);
  assert.deepEqual(after.ruleJson, { reparsed: true });
  assert.deepEqual(after.versions, [
    { version: 1, rule: pricing.rule, ruleJson: { reparsed: true }, fromSeq: 10 },
  ]);
  await catalog.close();
});

void test('updateTrait errors: missing trait, unknown source, new rule without ruleJson; nothing changes', async () => {
  const { catalog } = await setUp();
  const before = await catalog.createTrait('acme', pricing, 10);
  await assert.rejects(
    catalog.updateTrait('acme', 'nope', { name: 'x' }, 0),
    isCatalogError('not_found', "trait 'nope'"),
  );
  await assert.rejects(
    catalog.updateTrait('acme', 'pricing_visitor', { name: 'changed', source: 'nowhere' }, 0),
    isCatalogError('invalid', 'known: first-party'),
  );
  await assert.rejects(
    catalog.updateTrait('acme', 'pricing_visitor', { rule: 'other' }, 20),
    isCatalogError('invalid', 'ruleJson'),
  );
  assert.deepEqual(await catalog.getTrait('acme', 'pricing_visitor'), before);
  await catalog.close();
});

void test('deleteTrait removes the trait and its versions; a second delete is not_found', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', pricing, 10);
  await catalog.createTrait('acme', { ...pricing, code: 'keep' }, 10);
  await catalog.deleteTrait('acme', 'pricing_visitor');
  assert.equal(await catalog.getTrait('acme', 'pricing_visitor'), undefined);
  assert.deepEqual(
    (await catalog.listTraits('acme')).map((t) => t.code),
    ['keep'],
  );
  await assert.rejects(catalog.deleteTrait('acme', 'pricing_visitor'), isCatalogError('not_found'));
  const again = await catalog.createTrait('acme', pricing, 30);
  assert.deepEqual(
    again.versions.map((v) => [v.version, v.fromSeq]),
    [[1, 30]],
  );
  await catalog.close();
});

void test('listTraits gives each trait its own versions, in creation order', async () => {
  const { catalog } = await setUp();
  await catalog.createTrait('acme', { ...pricing, code: 'b' }, 1);
  await catalog.createTrait('acme', { ...pricing, code: 'a' }, 2);
  await catalog.updateTrait('acme', 'a', { rule: 'a2', ruleJson: 'a2' }, 5);
  const list = await catalog.listTraits('acme');
  assert.deepEqual(
    list.map((t) => [t.code, t.versions.map((v) => v.fromSeq)]),
    [
      ['b', [1]],
      ['a', [2, 5]],
    ],
  );
  assert.deepEqual(list[1], await catalog.getTrait('acme', 'a'));
  await catalog.close();
});
