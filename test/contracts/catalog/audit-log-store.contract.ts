import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditLogStore, AuditQuery } from '../../../src/catalog/audit-log-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { T0, failsWith, withStores } from './store-fixture.ts';

type Stores = TenantStore & AuditLogStore;

async function appendSome(stores: AuditLogStore, tenant: string): Promise<void> {
  const entries = [
    { action: 'trait.create', target: 'trait:a', after: { code: 'a' } },
    { action: 'trait.update', target: 'trait:a', before: { code: 'a' }, after: { code: 'a', name: 'A' } },
    { action: 'segment.create', target: 'segment:s', after: { code: 's' } },
    { action: 'trait.update', target: 'trait:b', before: null, after: [1, 'two'] },
    { action: 'optout.add', target: 'optout' },
  ];
  for (const entry of entries) await stores.appendAudit(tenant, { actor: 'key:0123456789abcdef', ...entry });
}

/**
 * The `AuditLogStore` contract: entries numbered 1, 2, 3, ... per tenant (also by concurrent writers),
 * before/after kept as JSON, pages by id cursor with filters, bad input refused.
 *
 * Example: `auditLogStoreContract('memory (fake)', open)`.
 */
export function auditLogStoreContract(name: string, open: OpenStores<Stores>): void {
  void describe(`AuditLogStore contract: ${name}`, () => {
    void it('appendAudit numbers entries per tenant and keeps before/after as JSON, also after a reopen', async () => {
      await withStores(open, async ({ stores, reopen, clock }) => {
        await stores.createTenant('acme');
        const after = { rule: 'new', lifetimeDays: 60, tags: ['x', null] };
        const first = await stores.appendAudit('acme', {
          actor: 'key:0123456789abcdef',
          action: 'trait.update',
          target: 'trait:pricing',
          before: { rule: 'old', lifetimeDays: 30 },
          after,
        });
        after.tags.push('changed later by the caller');
        assert.deepEqual(first, {
          id: 1,
          at: '2026-01-01T00:00:00.000Z',
          actor: 'key:0123456789abcdef',
          action: 'trait.update',
          target: 'trait:pricing',
          before: { rule: 'old', lifetimeDays: 30 },
          after: { rule: 'new', lifetimeDays: 60, tags: ['x', null] },
        });
        clock.advance(1000);
        const second = await stores.appendAudit('acme', {
          actor: 'cli',
          action: 'tenant.create',
          target: 'tenant:acme',
        });
        assert.deepEqual(second, {
          id: 2,
          at: '2026-01-01T00:00:01.000Z',
          actor: 'cli',
          action: 'tenant.create',
          target: 'tenant:acme',
        });
        const nulls = await stores.appendAudit('acme', {
          actor: 'a',
          action: 'b',
          target: 'c',
          before: null,
        });
        assert.equal(nulls.before, null);
        assert.equal('after' in nulls, false);
        const again = await reopen();
        assert.deepEqual(await again.listAudit('acme', { limit: 10 }), [first, second, nulls]);
        const third = await again.appendAudit('acme', { actor: 'a', action: 'b', target: 'c' });
        assert.equal(third.id, 4);
      });
    });

    void it('concurrent appends take distinct, consecutive numbers', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        const entries = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            stores.appendAudit('acme', { actor: 'a', action: 'x', target: `t:${i}` }),
          ),
        );
        assert.deepEqual(
          entries.map((e) => e.id).sort((x, y) => x - y),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        assert.equal((await stores.listAudit('acme', { limit: 100 })).length, 20);
      });
    });

    void it('listAudit pages by id cursor and filters by action and target', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        await appendSome(stores, 'acme');
        const ids = async (query: AuditQuery): Promise<number[]> =>
          (await stores.listAudit('acme', query)).map((e) => e.id);
        assert.deepEqual(await ids({ limit: 2 }), [1, 2]);
        assert.deepEqual(await ids({ after: 2, limit: 2 }), [3, 4]);
        assert.deepEqual(await ids({ after: 4, limit: 2 }), [5]);
        assert.deepEqual(await ids({ after: 5, limit: 2 }), []);
        assert.deepEqual(await ids({ limit: 10, action: 'trait.update' }), [2, 4]);
        assert.deepEqual(await ids({ limit: 10, target: 'trait:a' }), [1, 2]);
        assert.deepEqual(await ids({ limit: 10, action: 'trait.update', target: 'trait:a' }), [2]);
        assert.deepEqual(await ids({ after: 2, limit: 10, action: 'trait.update' }), [4]);
        assert.deepEqual(await ids({ limit: 10, action: 'nothing' }), []);
        assert.deepEqual(await ids({ limit: 1000 }), [1, 2, 3, 4, 5]);
      });
    });

    void it('listAudit pages newest first and filters by actor, action prefix, object and time', async () => {
      await withStores(open, async ({ stores, clock }) => {
        await stores.createTenant('acme');
        const lines: [string, string, string][] = [
          ['user:mia@acme.com', 'segment.create', 'segment:buyers'],
          ['user:mia@acme.com/key:00aa11bb22cc33dd', 'trait.update', 'trait:buyers'],
          ['key:0123456789abcdef', 'segment.update', 'segment:buyers'],
          ['user:ann@acme.com', 'segment.delete', 'segment:old'],
          ['cli', 'segments.export', 'buyers'],
          ['user:mia@acme.com.au', 'segment.create', 'segment:buyers_uk'],
        ];
        for (const [actor, action, target] of lines) {
          await stores.appendAudit('acme', { actor, action, target });
          clock.advance(60_000); // entry n at T0 + (n - 1) minutes
        }
        const ids = async (query: AuditQuery): Promise<number[]> =>
          (await stores.listAudit('acme', query)).map((e) => e.id);
        // newest first, paged backwards by the id cursor; `after` still bounds from below
        assert.deepEqual(await ids({ limit: 4, order: 'desc' }), [6, 5, 4, 3]);
        assert.deepEqual(await ids({ limit: 4, order: 'desc', before: 3 }), [2, 1]);
        assert.deepEqual(await ids({ limit: 4, order: 'desc', before: 1 }), []);
        assert.deepEqual(await ids({ limit: 10, order: 'desc', before: 6, after: 2 }), [5, 4, 3]);
        assert.deepEqual(await ids({ limit: 10, before: 4 }), [1, 2, 3]);
        assert.deepEqual(await ids({ limit: 10, order: 'asc' }), [1, 2, 3, 4, 5, 6]);
        // an actor by email, key id or whole text; an email is not a prefix of another
        assert.deepEqual(await ids({ limit: 10, actor: 'mia@acme.com' }), [1, 2]);
        assert.deepEqual(await ids({ limit: 10, actor: 'user:mia@acme.com' }), [1, 2]);
        assert.deepEqual(await ids({ limit: 10, actor: '00aa11bb22cc33dd' }), [2]);
        assert.deepEqual(await ids({ limit: 10, actor: 'key:0123456789abcdef' }), [3]);
        assert.deepEqual(await ids({ limit: 10, actor: '0123456789abcdef' }), [3]);
        assert.deepEqual(await ids({ limit: 10, actor: 'cli' }), [5]);
        assert.deepEqual(await ids({ limit: 10, actor: 'acme.com' }), []);
        assert.deepEqual(await ids({ limit: 10, actor: 'mia' }), []);
        // an action prefix; the exact action keeps its meaning
        assert.deepEqual(await ids({ limit: 10, actionPrefix: 'segment.' }), [1, 3, 4, 6]);
        assert.deepEqual(await ids({ limit: 10, actionPrefix: 'segment' }), [1, 3, 4, 5, 6]);
        assert.deepEqual(await ids({ limit: 10, action: 'segment' }), []);
        assert.deepEqual(await ids({ limit: 10, actionPrefix: '%' }), [], 'no wildcard in a prefix');
        // an object by its code, whatever its kind
        assert.deepEqual(await ids({ limit: 10, object: 'buyers' }), [1, 2, 3, 5]);
        assert.deepEqual(await ids({ limit: 10, object: 'segment:buyers' }), [1, 3]);
        assert.deepEqual(await ids({ limit: 10, object: 'buy' }), []);
        // times: from inclusive, to exclusive
        const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
        assert.deepEqual(await ids({ limit: 10, from: at(2) }), [3, 4, 5, 6]);
        assert.deepEqual(await ids({ limit: 10, to: at(2) }), [1, 2]);
        assert.deepEqual(await ids({ limit: 10, from: at(1), to: at(3) }), [2, 3]);
        assert.deepEqual(await ids({ limit: 10, from: at(3), to: at(3) }), []);
        // everything together, newest first, a page at a time
        const all: AuditQuery = { limit: 1, order: 'desc', actionPrefix: 'segment.', object: 'buyers' };
        assert.deepEqual(await ids({ ...all, actor: 'mia@acme.com', from: at(0), to: at(6) }), [1]);
        assert.deepEqual(await ids(all), [3]);
        assert.deepEqual(await ids({ ...all, before: 3 }), [1]);
        assert.deepEqual(await ids({ ...all, before: 1 }), []);
      });
    });

    void it('listAudit refuses a bad order, cursor, empty filter or time', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        const refusals: [AuditQuery, RegExp][] = [
          [{ limit: 5, before: 0 }, /before/],
          [{ limit: 5, before: 2.5 }, /before/],
          [{ limit: 5, order: 'sideways' as 'asc' }, /order/],
          [{ limit: 5, actor: ' ' }, /actor/],
          [{ limit: 5, actionPrefix: '' }, /actionPrefix/],
          [{ limit: 5, object: '' }, /object/],
          [{ limit: 5, from: 'yesterday' }, /from/],
          [{ limit: 5, to: '2026-01-01' }, /to must be a time/],
          [{ limit: 5, to: '2026-02-30T00:00:00.000Z' }, /to/],
        ];
        for (const [query, pattern] of refusals) {
          await assert.rejects(stores.listAudit('acme', query), failsWith('invalid', pattern));
        }
      });
    });

    void it('appendAudit and listAudit refuse bad input without writing', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        const refusals: [Parameters<AuditLogStore['appendAudit']>[1], RegExp][] = [
          [{ actor: 'a', action: 'x', target: 't', after: cyclic }, /after must be JSON-serialisable/],
          [{ actor: 'a', action: 'x', target: 't', before: 10n }, /before must be JSON-serialisable/],
          [{ actor: 'a', action: 'x', target: 't', before: () => 1 }, /before/],
          [{ actor: '', action: 'x', target: 't' }, /actor/],
          [{ actor: 'a', action: ' ', target: 't' }, /action/],
          [{ actor: 'a', action: 'x', target: '' }, /target/],
        ];
        for (const [entry, pattern] of refusals) {
          await assert.rejects(stores.appendAudit('acme', entry), failsWith('invalid', pattern));
        }
        await assert.rejects(
          stores.appendAudit('ghost', { actor: 'a', action: 'x', target: 't' }),
          failsWith('not_found', /ghost/),
        );
        assert.deepEqual(await stores.listAudit('acme', { limit: 10 }), []);
        await assert.rejects(stores.listAudit('acme', { limit: 0 }), failsWith('invalid', /limit/));
        await assert.rejects(stores.listAudit('acme', { limit: 1001 }), failsWith('invalid', /at most 1000/));
        await assert.rejects(stores.listAudit('acme', { limit: 1.5 }), failsWith('invalid', /limit/));
        await assert.rejects(
          stores.listAudit('acme', { after: -1, limit: 5 }),
          failsWith('invalid', /after/),
        );
      });
    });

    void it("one tenant's audit log never shows or numbers another's entries", async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        await stores.createTenant('b');
        for (const tenant of ['a', 'b']) {
          await stores.appendAudit(tenant, { actor: tenant, action: 'source.create', target: 'source:feed' });
        }
        await stores.appendAudit('b', {
          actor: 'b',
          action: 'secret.thing',
          target: 'only-b',
          after: { s: 1 },
        });
        const before = await stores.listAudit('b', { limit: 1000 });
        assert.deepEqual(await stores.listAudit('a', { limit: 1000, action: 'secret.thing' }), []);
        assert.deepEqual(await stores.listAudit('a', { limit: 1000, target: 'only-b' }), []);
        const aEntry = await stores.appendAudit('a', {
          actor: 'a',
          action: 'secret.thing',
          target: 'only-b',
        });
        assert.equal(aEntry.id, 2, "A's audit IDs count A's entries only");
        const again = await reopen();
        assert.deepEqual(await again.listAudit('b', { limit: 1000 }), before);
        assert.deepEqual(
          (await again.listAudit('a', { limit: 1000 })).map((e) => [e.id, e.actor, e.action]),
          [
            [1, 'a', 'source.create'],
            [2, 'a', 'secret.thing'],
          ],
        );
        assert.deepEqual(await again.listAudit('ghost', { limit: 10 }), []);
      });
    });
  });
}
