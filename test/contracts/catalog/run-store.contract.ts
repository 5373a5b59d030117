import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActivationRun, RunStore } from '../../../src/catalog/run-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

const run: ActivationRun = {
  runId: 'r1',
  destination: 'ttd',
  mode: 'full',
  status: 'running',
  startedAt: '2026-11-20T00:00:00Z',
  report: {},
};

const letter = {
  destination: 'ttd',
  runId: 'r1',
  batchId: 'b1',
  reason: 'HTTP 400',
  attempts: 1,
  payload: { n: 1 },
};

/**
 * The `RunStore` contract: runs saved and updated by ID, listed newest first with filters; dead letters
 * kept newest first and scrubbed of a deleted visitor's IDs; all per tenant.
 *
 * Example: `runStoreContract('SQLite (file)', open)`.
 */
export function runStoreContract(name: string, open: OpenStores<TenantStore & RunStore>): void {
  void describe(`RunStore contract: ${name}`, () => {
    void it('saveRun creates and updates a run; listRuns is newest first, filtered, at most limit', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('alpha');
        await stores.saveRun('alpha', run);
        await stores.saveRun('alpha', {
          ...run,
          status: 'succeeded',
          finishedAt: '2026-11-20T00:01:00Z',
          report: { sent: 3 },
        });
        await stores.saveRun('alpha', {
          ...run,
          runId: 'r2',
          startedAt: '2026-11-21T00:00:00Z',
          campaign: 'xmas',
        });
        await stores.saveRun('alpha', {
          ...run,
          runId: 'r3',
          destination: 'file',
          startedAt: '2026-11-22T00:00:00Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.getRun('alpha', 'r1'), {
          ...run,
          status: 'succeeded',
          finishedAt: '2026-11-20T00:01:00Z',
          report: { sent: 3 },
        });
        const r2 = await again.getRun('alpha', 'r2');
        assert.equal(r2?.campaign, 'xmas');
        assert.equal('finishedAt' in (r2 ?? {}), false);
        const ids = async (query: Parameters<RunStore['listRuns']>[1]): Promise<string[]> =>
          (await again.listRuns('alpha', query)).map((r) => r.runId);
        assert.deepEqual(await ids({ limit: 10 }), ['r3', 'r2', 'r1']);
        assert.deepEqual(await ids({ limit: 2 }), ['r3', 'r2']);
        assert.deepEqual(await ids({ destination: 'ttd', limit: 10 }), ['r2', 'r1']);
        assert.deepEqual(await ids({ campaign: 'xmas', limit: 10 }), ['r2']);
        assert.deepEqual(await ids({ status: 'succeeded', limit: 10 }), ['r1']);
        assert.deepEqual(await ids({ destination: 'ttd', status: 'running', limit: 10 }), ['r2']);
        assert.equal(await again.getRun('alpha', 'nope'), undefined);
      });
    });

    void it('addDeadLetter numbers letters; listDeadLetters is per destination, newest first, at most limit', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('alpha');
        const first = await stores.addDeadLetter('alpha', letter);
        assert.deepEqual(first, { ...letter, id: first.id, createdAt: '2026-01-01T00:00:00.000Z' });
        assert.ok(Number.isInteger(first.id));
        const second = await stores.addDeadLetter('alpha', { ...letter, batchId: 'b2' });
        await stores.addDeadLetter('alpha', { ...letter, destination: 'file', batchId: 'f1' });
        assert.ok(second.id > first.id);
        const again = await reopen();
        assert.deepEqual(
          (await again.listDeadLetters('alpha', 'ttd', 10)).map((l) => l.batchId),
          ['b2', 'b1'],
        );
        assert.deepEqual(await again.listDeadLetters('alpha', 'ttd', 1), [second]);
        assert.deepEqual(await again.listDeadLetters('alpha', 'nope', 10), []);
      });
    });

    void it("eraseFromDeadLetters takes the IDs out of the tenant's payloads only, and counts letters rewritten", async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        const batch = {
          added: [{ id: 'c-1', segments: ['s'] }, { id: 'c-2' }],
          removed: ['c-1', 'c-3'],
          n: 4,
        };
        await stores.addDeadLetter('alpha', { ...letter, payload: batch });
        await stores.addDeadLetter('alpha', {
          ...letter,
          batchId: 'b2',
          payload: { added: [{ id: 'c-2' }] },
        });
        await stores.addDeadLetter('alpha', { ...letter, batchId: 'b3', payload: 'not a batch' });
        await stores.addDeadLetter('beta', { ...letter, payload: batch });
        assert.equal(await stores.eraseFromDeadLetters('alpha', []), 0);
        assert.equal(await stores.eraseFromDeadLetters('alpha', ['']), 0);
        assert.equal(await stores.eraseFromDeadLetters('alpha', ['c-1', 'c-9']), 1);
        const again = await reopen();
        assert.deepEqual(
          (await again.listDeadLetters('alpha', 'ttd', 10)).map((l) => l.payload),
          ['not a batch', { added: [{ id: 'c-2' }] }, { added: [{ id: 'c-2' }], removed: ['c-3'], n: 4 }],
        );
        assert.deepEqual((await again.listDeadLetters('beta', 'ttd', 10))[0]?.payload, batch);
        assert.equal(await again.eraseFromDeadLetters('alpha', ['c-1']), 0, 'nothing left to take out');
      });
    });

    void it("an unknown tenant is refused, and one tenant never sees another's runs or dead letters", async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await assert.rejects(stores.saveRun('ghost', run), failsWith('not_found', /ghost/));
        await assert.rejects(stores.addDeadLetter('ghost', letter), failsWith('not_found', /ghost/));
        await stores.saveRun('alpha', run);
        await stores.addDeadLetter('alpha', letter);
        assert.equal(await stores.getRun('beta', 'r1'), undefined);
        assert.deepEqual(await stores.listRuns('beta', { limit: 10 }), []);
        assert.deepEqual(await stores.listDeadLetters('beta', 'ttd', 10), []);
        await stores.saveRun('beta', { ...run, status: 'failed' });
        assert.equal((await stores.getRun('alpha', 'r1'))?.status, 'running');
      });
    });
  });
}
