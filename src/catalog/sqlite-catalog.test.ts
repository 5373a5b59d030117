import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { manualClock } from '../core/clock.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-catalog-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fileBytes(file: string): Buffer {
  const parts = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  return Buffer.concat(parts);
}

void test('createTenant uses a slug name as the ID and gives a working API key and site key', async () => {
  const catalog = await openSqliteCatalog(':memory:', { clock: manualClock(t0) });
  const created = await catalog.createTenant('acme');
  assert.equal(created.tenant, 'acme');
  assert.match(created.apiKey, /^dmp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  assert.match(created.siteKey, /^site_[A-Za-z0-9_-]{24}$/);
  assert.deepEqual(await catalog.getTenant('acme'), {
    id: 'acme',
    name: 'acme',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  assert.equal(await catalog.authenticateApiKey(created.apiKey), 'acme');
  assert.equal(await catalog.tenantForSiteKey(created.siteKey), 'acme');
  await catalog.close();
});

void test('createTenant derives slug-plus-suffix IDs for other names and for a taken slug', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  const first = await catalog.createTenant('acme');
  const second = await catalog.createTenant('acme');
  const named = await catalog.createTenant('  Acme Ltd ');
  assert.equal(first.tenant, 'acme');
  assert.match(second.tenant, /^acme-[a-z2-9]{6}$/);
  assert.match(named.tenant, /^acme-ltd-[a-z2-9]{6}$/);
  assert.equal((await catalog.getTenant(named.tenant))?.name, 'Acme Ltd');
  const ids = (await catalog.listTenants()).map((t) => t.id);
  assert.deepEqual(ids.sort(), [first.tenant, second.tenant, named.tenant].sort());
  assert.equal(await catalog.authenticateApiKey(second.apiKey), second.tenant);
  await assert.rejects(
    catalog.createTenant('   '),
    (e: unknown) => e instanceof CatalogError && e.code === 'invalid',
  );
  await catalog.close();
});

void test('listTenants is in creation order; getTenant of an unknown ID is undefined', async () => {
  const clock = manualClock(t0);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  await catalog.createTenant('zeta');
  clock.advance(1000);
  await catalog.createTenant('alpha');
  assert.deepEqual(
    (await catalog.listTenants()).map((t) => [t.id, t.createdAt]),
    [
      ['zeta', '2026-01-01T00:00:00.000Z'],
      ['alpha', '2026-01-01T00:00:01.000Z'],
    ],
  );
  assert.equal(await catalog.getTenant('nobody'), undefined);
  await catalog.close();
});

void test('authenticateApiKey refuses a wrong secret with the right key ID, and malformed keys', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  const { apiKey, siteKey } = await catalog.createTenant('acme');
  const last = apiKey.at(-1) === 'A' ? 'B' : 'A';
  const wrongSecret = `${apiKey.slice(0, -1)}${last}`;
  assert.equal(await catalog.authenticateApiKey(wrongSecret), undefined);
  const unknownId = apiKey.replace(/^dmp_[0-9a-f]{16}/, 'dmp_0000000000000000');
  assert.equal(await catalog.authenticateApiKey(unknownId), undefined);
  for (const bad of ['', 'dmp_', apiKey.slice(0, 30), `${apiKey} `, siteKey, 'Bearer x']) {
    assert.equal(await catalog.authenticateApiKey(bad), undefined, bad);
  }
  assert.equal(await catalog.tenantForSiteKey('site_nope'), undefined);
  assert.equal(await catalog.tenantForSiteKey(apiKey), undefined);
  await catalog.close();
});

void test('every tenant starts with the three party data sources; createDataSource adds more', async () => {
  const catalog = await openSqliteCatalog(':memory:', { clock: manualClock(t0) });
  await catalog.createTenant('acme');
  const defaults = await catalog.listDataSources('acme');
  assert.deepEqual(
    defaults.map((s) => [s.code, s.name, s.party, s.createdAt]),
    [
      ['first-party', 'First party', 'first', '2026-01-01T00:00:00.000Z'],
      ['second-party', 'Second party', 'second', '2026-01-01T00:00:00.000Z'],
      ['third-party', 'Third party', 'third', '2026-01-01T00:00:00.000Z'],
    ],
  );
  const partner = await catalog.createDataSource('acme', {
    code: 'partner-x',
    name: 'Partner X',
    party: 'second',
  });
  assert.equal(partner.code, 'partner-x');
  assert.equal(typeof partner.id, 'number');
  assert.deepEqual((await catalog.listDataSources('acme')).at(-1), partner);

  await assert.rejects(
    catalog.createDataSource('acme', { code: 'partner-x', name: 'Again', party: 'second' }),
    (e: unknown) =>
      e instanceof CatalogError &&
      e.code === 'conflict' &&
      e.message.includes("data source 'partner-x' already exists"),
  );
  await assert.rejects(
    catalog.createDataSource('nobody', { code: 'x', name: 'X', party: 'first' }),
    (e: unknown) => e instanceof CatalogError && e.code === 'not_found',
  );
  const badParty = { code: 'y', name: 'Y', party: 'fourth' } as unknown as Parameters<
    typeof catalog.createDataSource
  >[1];
  await assert.rejects(
    catalog.createDataSource('acme', badParty),
    (e: unknown) => e instanceof CatalogError && e.code === 'invalid',
  );
  assert.deepEqual(await catalog.listDataSources('nobody'), []);
  await catalog.close();
});

void test('a file catalog keeps everything across close and reopen', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const first = await openSqliteCatalog(file);
    const created = await first.createTenant('acme');
    await first.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
    const trait = await first.createTrait('acme', { code: 't', name: 'T', rule: 'a', ruleJson: { a: 1 } }, 3);
    await first.updateTrait('acme', 't', { rule: 'b', ruleJson: { b: 2 } }, 9);
    const segment = await first.createSegment('acme', { code: 's', name: 'S', rule: 'x', ruleJson: ['x'] });
    await first.close();

    const second = await openSqliteCatalog(file);
    assert.equal(await second.authenticateApiKey(created.apiKey), 'acme');
    assert.equal(await second.tenantForSiteKey(created.siteKey), 'acme');
    assert.deepEqual(
      (await second.listDataSources('acme')).map((s) => s.code),
      ['first-party', 'second-party', 'third-party', 'feed'],
    );
    const reread = await second.getTrait('acme', 't');
    assert.equal(reread?.id, trait.id);
    assert.deepEqual(
      reread?.versions.map((v) => [v.version, v.rule, v.fromSeq, v.ruleJson]),
      [
        [1, 'a', 3, { a: 1 }],
        [2, 'b', 9, { b: 2 }],
      ],
    );
    assert.deepEqual(await second.getSegment('acme', 's'), segment);
    await second.close();
  });
});

void test('the file is in WAL mode with foreign keys enforced', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openSqliteCatalog(file);
    await catalog.close();
    const db = new Database(file);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });
});

void test('the raw API key secret is nowhere in the database file; its sha256 is', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openSqliteCatalog(file);
    const { apiKey, siteKey } = await catalog.createTenant('acme');
    const secret = apiKey.split('_').slice(2).join('_');
    const bytesOpen = fileBytes(file);
    await catalog.close();
    const bytesClosed = fileBytes(file);
    for (const bytes of [bytesOpen, bytesClosed]) {
      // control: what is stored in clear is found, so the search would find the secret if it were there
      assert.ok(bytes.includes(siteKey), 'site key found in the file');
      assert.ok(bytes.includes(apiKey.split('_')[1] ?? '-'), 'key ID found in the file');
      assert.equal(bytes.includes(secret), false, 'secret absent');
      assert.equal(bytes.includes(secret.slice(0, 16)), false, 'no long piece of the secret');
      assert.equal(bytes.includes(apiKey), false, 'whole key absent');
    }
    const db = new Database(file, { readonly: true });
    const row = db
      .prepare<[], { h: Buffer; l: string; s: string }>(
        'SELECT secret_sha256 AS h, last_four AS l, scopes AS s FROM api_keys',
      )
      .get();
    db.close();
    assert.deepEqual(row?.h, createHash('sha256').update(secret).digest());
    assert.equal(row?.l, secret.slice(-4));
    assert.equal(row?.s, 'admin');
  });
});

void test('methods fail after close', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.close();
  await catalog.close();
  await assert.rejects(catalog.listTenants());
});
