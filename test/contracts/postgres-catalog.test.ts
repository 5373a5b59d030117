/**
 * What the PostgreSQL catalog has beyond the store contracts (`catalog-stores.contract.test.ts` runs
 * those): every committed write reaches every process's `listen` within a second, a rolled-back one
 * reaches none; the schema's migrations and the audit log's append-only triggers; a message without the
 * password when the server cannot be reached.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { PostgresCatalog } from '../../src/catalog/postgres/pg-catalog.ts';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { openPostgresCatalog } from '../../src/catalog/postgres/pg-catalog.ts';
import type { CatalogChange } from '../../src/catalog/catalog-changes.ts';
import { manualClock } from '../../src/core/clock.ts';
import { testDatabaseUrl } from './catalog/postgres-test-database.ts';
import { T0, failsWith } from './catalog/store-fixture.ts';

const ruleJson = { op: 'eq', path: 'url.path', value: '/pricing' };
const pricing = { code: 'pricing', name: 'Pricing', rule: 'url.path == "/pricing"', ruleJson };

/** Changes heard, and a way to wait for the `nth` one matching `want` (rejects after `ms`). */
function recorder() {
  const heard: { change: CatalogChange; at: number }[] = [];
  const waiters: (() => void)[] = [];
  return {
    heard,
    onChange(change: CatalogChange) {
      heard.push({ change, at: performance.now() });
      for (const wake of waiters.splice(0)) wake();
    },
    async until(want: (c: CatalogChange) => boolean, ms: number, nth = 1): Promise<number> {
      const deadline = performance.now() + ms;
      for (;;) {
        const hit = heard.filter((h) => want(h.change))[nth - 1];
        if (hit) return hit.at;
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`not heard within ${ms} ms; heard ${JSON.stringify(heard)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
    },
  };
}

async function twoCatalogs(schema: string): Promise<[PostgresCatalog, PostgresCatalog, () => Promise<void>]> {
  const url = await testDatabaseUrl();
  const clock = manualClock(T0);
  const a = await openPostgresCatalog(url, { clock, schema });
  const b = await openPostgresCatalog(url, { clock, schema });
  return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
}

void describe('PostgreSQL catalog', () => {
  void it("two catalogs on one database hear each other's trait create within a second", async () => {
    const [a, b, close] = await twoCatalogs('changes_heard');
    try {
      const onA = recorder();
      const onB = recorder();
      await a.listen((c) => onA.onChange(c));
      await b.listen((c) => onB.onChange(c));
      await a.createTenant('acme');
      let sent = performance.now();
      await b.createTrait('acme', pricing, 0);
      const heardByA = (await onA.until((c) => c.tenant === 'acme' && c.kind === 'trait', 1000)) - sent;
      assert.ok(heardByA < 1000, `A heard B's trait after ${heardByA} ms`);
      sent = performance.now();
      await a.createTrait('acme', { ...pricing, code: 'pricing_2' }, 0);
      await onB.until((c) => c.tenant === 'acme' && c.kind === 'trait', 1000, 2);
      assert.deepEqual(
        onB.heard.map((h) => h.change),
        [
          { tenant: 'acme', kind: 'tenant' },
          { tenant: 'acme', kind: 'trait' },
          { tenant: 'acme', kind: 'trait' },
        ],
        'B hears its own writes too, in commit order',
      );
      assert.ok(performance.now() - sent < 1000);
      assert.equal((await a.getTrait('acme', 'pricing'))?.name, 'Pricing', "A reads B's write at once");
    } finally {
      await close();
    }
  });

  void it('a write that fails is not announced; a closed listener hears nothing more', async () => {
    const [a, b, close] = await twoCatalogs('changes_rolled_back');
    try {
      await a.createTenant('acme');
      const onA = recorder();
      const listener = await a.listen((c) => onA.onChange(c));
      await b.createTrait('acme', pricing, 0);
      await assert.rejects(b.createTrait('acme', pricing, 0), failsWith('conflict', /pricing/));
      await assert.rejects(b.deleteSegment('acme', 'none'), failsWith('not_found', /none/));
      await b.createSegment('acme', { code: 'buyers', name: 'Buyers', rule: 'true', ruleJson: true });
      await onA.until((c) => c.kind === 'segment', 1000);
      assert.deepEqual(
        onA.heard.map((h) => h.change.kind),
        ['trait', 'segment'],
        'the refused trait create and segment delete were rolled back unannounced',
      );
      await listener.close();
      await listener.close();
      await b.createSegment('acme', { code: 'later', name: 'Later', rule: 'true', ruleJson: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(onA.heard.length, 2);
    } finally {
      await close();
    }
  });

  void it('a listener whose connection is lost connects again, says so, and hears later changes', async () => {
    const [a, b, close] = await twoCatalogs('changes_reconnect');
    try {
      await a.createTenant('acme');
      const onA = recorder();
      await a.listen((c) => onA.onChange(c));
      const url = await testDatabaseUrl();
      const sql = new pg.Client({ connectionString: url });
      await sql.connect();
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN dmp_catalog'`,
      );
      await sql.end();
      assert.equal(rows[0]?.n, 1, "the listener's own connection was ended");
      await onA.until((c) => c.tenant === '*' && c.kind === '*', 3000);
      await b.createTrait('acme', pricing, 0);
      await onA.until((c) => c.tenant === 'acme' && c.kind === 'trait', 1000);
    } finally {
      await close();
    }
  });

  void it("one catalog's listeners share one connection, which ends with the last of them", async () => {
    const [a, b, close] = await twoCatalogs('changes_shared_connection');
    const url = await testDatabaseUrl();
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    const listening = async (): Promise<number> => {
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN dmp_catalog'`,
      );
      return rows[0]?.n ?? -1;
    };
    try {
      await a.createTenant('acme');
      const [one, two, three] = [recorder(), recorder(), recorder()];
      const first = await a.listen((c) => one.onChange(c));
      const second = await a.listen((c) => two.onChange(c));
      const third = await a.listen((c) => three.onChange(c));
      assert.equal(await listening(), 1, 'three listeners of one catalog, one connection');
      await b.createTrait('acme', pricing, 0);
      for (const heard of [one, two, three]) await heard.until((c) => c.kind === 'trait', 1000);
      await first.close();
      await third.close();
      await b.createSegment('acme', { code: 'buyers', name: 'Buyers', rule: 'true', ruleJson: true });
      await two.until((c) => c.kind === 'segment', 1000);
      assert.deepEqual(
        one.heard.map((h) => h.change.kind),
        ['trait'],
        'a closed listener hears nothing more',
      );
      assert.equal(await listening(), 1, 'the connection stays while a listener is open');
      await second.close();
      for (let tries = 0; (await listening()) !== 0; tries++) {
        assert.ok(tries < 50, 'the connection ended with the last listener');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const again = recorder();
      await a.listen((c) => again.onChange(c));
      await b.createSegment('acme', { code: 'later', name: 'Later', rule: 'true', ruleJson: true });
      await again.until((c) => c.kind === 'segment', 1000);
    } finally {
      await sql.end();
      await close();
    }
  });

  void it('two catalogs writing at once: distinct tenant IDs for one name, audit numbers 1..n', async () => {
    const [a, b, close] = await twoCatalogs('concurrent_writers');
    try {
      const made = await Promise.all([a, b, a, b].map((c) => c.createTenant('acme')));
      const ids = made.map((m) => m.tenant);
      assert.equal(new Set(ids).size, 4, ids.join(', '));
      assert.ok(ids.includes('acme'));
      const entries = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).appendAudit('acme', { actor: `w${i}`, action: 'x.y', target: 't' }),
        ),
      );
      assert.deepEqual(
        entries.map((e) => e.id).sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    } finally {
      await close();
    }
  });

  void it('the schema is migrated once, and its audit log refuses UPDATE, DELETE and TRUNCATE', async () => {
    const url = await testDatabaseUrl();
    const catalog = await openPostgresCatalog(url, { schema: 'migrated' });
    await catalog.createTenant('acme');
    await catalog.appendAudit('acme', { actor: 'cli', action: 'tenant.create', target: 'tenant:acme' });
    await catalog.close();
    const again = await openPostgresCatalog(url, { schema: 'migrated' });
    await again.close();
    const sql = new pg.Client({ connectionString: url, options: '-c search_path=migrated' });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ version: number }>('SELECT version FROM schema_migrations');
      assert.deepEqual(rows, [{ version: 15 }]);
      for (const statement of [
        "UPDATE audit_log SET actor = 'someone else'",
        'DELETE FROM audit_log',
        'TRUNCATE audit_log',
        "INSERT INTO audit_log (tenant, id, at, actor, action, target) VALUES ('acme', 1, 'x', 'a', 'b', 'c') ON CONFLICT (tenant, id) DO UPDATE SET actor = 'x'",
      ]) {
        await assert.rejects(sql.query(statement), /append-only/, statement);
      }
      const { rows: left } = await sql.query<{ actor: string }>('SELECT actor FROM audit_log');
      assert.deepEqual(left, [{ actor: 'cli' }]);
    } finally {
      await sql.end();
    }
  });

  void it('openCatalog opens PostgreSQL for a postgres:// URL and SQLite for a path', async () => {
    const url = await testDatabaseUrl();
    const dir = await mkdtemp(join(tmpdir(), 'dmp-open-catalog-'));
    const shared = await openCatalog(url);
    const embedded = await openCatalog(join(dir, 'catalog.sqlite'));
    try {
      assert.ok('listen' in shared, 'the PostgreSQL catalog can listen');
      assert.ok(!('listen' in embedded), 'the SQLite catalog cannot');
      const { tenant } = await shared.createTenant('open-catalog');
      const seen = await openPostgresCatalog(url);
      assert.equal((await seen.getTenant(tenant))?.name, 'open-catalog', 'written to the database');
      await seen.close();
      assert.equal(await embedded.getTenant(tenant), undefined);
    } finally {
      await Promise.all([shared.close(), embedded.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('an unreachable server is reported with the URL but never its password', async () => {
    await assert.rejects(openPostgresCatalog('postgres://dmp:s3cret@127.0.0.1:1/dmp'), (error: Error) => {
      assert.match(
        error.message,
        /^cannot open the catalog at postgres:\/\/dmp:\*\*\*@127\.0\.0\.1:1\/dmp: /,
      );
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});
