import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../core/clock.ts';
import { CatalogError, DATA_LABELS } from './catalog.ts';
import { normaliseLabels } from './data-labels.ts';
import { eachCatalogStore } from './testing/catalog-stores.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');

function failsWith(code: CatalogError['code'], pattern: RegExp) {
  return (e: unknown): boolean => e instanceof CatalogError && e.code === code && pattern.test(e.message);
}

void test('DATA_LABELS are the five export controls', () => {
  assert.deepEqual(
    [...DATA_LABELS],
    [
      'no-onsite-targeting',
      'no-offsite-targeting',
      'no-modeling',
      'no-pii-combination',
      'no-third-party-sharing',
    ],
  );
});

void test('normaliseLabels dedupes into DATA_LABELS order and names the known labels for an unknown one', () => {
  assert.deepEqual(normaliseLabels(['no-third-party-sharing', 'no-modeling', 'no-modeling']), [
    'no-modeling',
    'no-third-party-sharing',
  ]);
  assert.deepEqual(normaliseLabels([]), []);
  assert.throws(
    () => normaliseLabels(['no-modeling', 'no-ads']),
    failsWith('invalid', new RegExp(`unknown label 'no-ads'; known: ${DATA_LABELS.join(', ')}$`)),
  );
  assert.throws(() => normaliseLabels('no-modeling'), failsWith('invalid', /array/));
  assert.throws(() => normaliseLabels([7]), failsWith('invalid', /unknown label '7'/));
});

void test('a data source keeps its labels, and a reopened catalog reads them back', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    await catalog.createTenant('acme');
    const created = await catalog.createDataSource('acme', {
      code: 'crm',
      name: 'CRM',
      party: 'first',
      labels: ['no-third-party-sharing', 'no-modeling'],
    });
    assert.deepEqual(created, {
      id: created.id,
      code: 'crm',
      name: 'CRM',
      party: 'first',
      labels: ['no-modeling', 'no-third-party-sharing'],
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const plain = await catalog.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
    assert.deepEqual(plain.labels, []);
    const again = await reopen();
    assert.deepEqual(await again.getDataSource('acme', 'crm'), created);
    assert.deepEqual(
      (await again.listDataSources('acme')).map((s) => [s.code, s.labels]),
      [
        ['first-party', []],
        ['second-party', []],
        ['third-party', []],
        ['crm', ['no-modeling', 'no-third-party-sharing']],
        ['feed', []],
      ],
    );
    assert.equal(await again.getDataSource('acme', 'nope'), undefined);
  }, manualClock(t0));
});

void test('createDataSource refuses an unknown label and writes nothing', async () => {
  await eachCatalogStore(async ({ catalog }) => {
    await catalog.createTenant('acme');
    await assert.rejects(
      catalog.createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first', labels: ['no-ads'] }),
      failsWith('invalid', /unknown label 'no-ads'; known: no-onsite-targeting, /),
    );
    assert.equal(await catalog.getDataSource('acme', 'crm'), undefined);
    await catalog.createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first' });
    await assert.rejects(
      catalog.createDataSource('acme', { code: 'crm', name: 'CRM 2', party: 'first' }),
      failsWith('conflict', /already exists/),
    );
  });
});

void test('updateDataSource renames and replaces labels; an unknown label or code changes nothing', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    await catalog.createTenant('acme');
    await catalog.createDataSource('acme', {
      code: 'crm',
      name: 'CRM',
      party: 'first',
      labels: ['no-modeling'],
    });
    const relabelled = await catalog.updateDataSource('acme', 'crm', { labels: ['no-pii-combination'] });
    assert.deepEqual([relabelled.name, relabelled.labels], ['CRM', ['no-pii-combination']]);
    const renamed = await catalog.updateDataSource('acme', 'crm', { name: 'Our CRM' });
    assert.deepEqual([renamed.name, renamed.labels], ['Our CRM', ['no-pii-combination']]);
    await assert.rejects(
      catalog.updateDataSource('acme', 'crm', { name: 'X', labels: ['bogus'] }),
      failsWith('invalid', /unknown label 'bogus'/),
    );
    await assert.rejects(
      catalog.updateDataSource('acme', 'crm', { name: ' ' }),
      failsWith('invalid', /name/),
    );
    await assert.rejects(
      catalog.updateDataSource('acme', 'nope', { name: 'X' }),
      failsWith('not_found', /'nope'/),
    );
    const cleared = await catalog.updateDataSource('acme', 'crm', { labels: [] });
    assert.deepEqual(cleared.labels, []);
    const again = await reopen();
    assert.deepEqual(await again.getDataSource('acme', 'crm'), cleared);
  });
});

void test('deleteDataSource is refused while a trait uses it and for the defaults, then deletes', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    await catalog.createTenant('acme');
    await catalog.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
    await catalog.createTrait(
      'acme',
      { code: 'fed', name: 'Fed', rule: 'x', ruleJson: null, source: 'feed' },
      0,
    );
    await assert.rejects(
      catalog.deleteDataSource('acme', 'feed'),
      failsWith('conflict', /used by traits fed$/),
    );
    assert.ok(await catalog.getDataSource('acme', 'feed'));
    for (const code of ['first-party', 'second-party', 'third-party']) {
      await assert.rejects(catalog.deleteDataSource('acme', code), failsWith('conflict', /default source/));
    }
    await assert.rejects(catalog.deleteDataSource('acme', 'nope'), failsWith('not_found', /'nope'/));
    await catalog.deleteTrait('acme', 'fed');
    await catalog.deleteDataSource('acme', 'feed');
    const again = await reopen();
    assert.equal(await again.getDataSource('acme', 'feed'), undefined);
    assert.deepEqual(
      (await again.listDataSources('acme')).map((s) => s.code),
      ['first-party', 'second-party', 'third-party'],
    );
  });
});
