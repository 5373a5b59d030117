import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { RunStateStore } from '../../src/activate/runs/run-state-store.ts';
import { MemberState, eraseMemberStates } from '../../src/activate/runs/member-state.ts';
import { withFixture } from './with-fixture.ts';

/**
 * A run state store under test, empty, with `again()` opening a second one on the same storage (as
 * another process would) and `close()` closing both and deleting what they wrote.
 */
export interface RunStateFixture {
  store: RunStateStore;
  again: () => Promise<RunStateStore>;
  close: () => Promise<void>;
}

/**
 * The `RunStateStore` contract (`src/activate/runs/run-state-store.ts`): files by tenant, destination and
 * name, replaced whole, read back the same by another process; and the member state of delta runs
 * over it, down to a deletion's erasure.
 *
 * Example: `runStateStoreContract('data folder', async () => ({ store, again, close }));`
 */
export function runStateStoreContract(name: string, open: () => Promise<RunStateFixture>): void {
  void describe(`RunStateStore contract: ${name}`, () => {
    const withStore = withFixture(open);

    void it(
      'reads back what was written, replaced whole, and nothing for a file never written',
      withStore(async ({ store }) => {
        assert.equal(await store.read('acme', 'crm', 'state.json.gz'), undefined);
        assert.deepEqual(await store.destinations('acme'), []);
        await store.write('acme', 'crm', 'state.json.gz', Buffer.from('first'));
        await store.write('acme', 'crm', 'state.json.gz', Buffer.from('second, longer'));
        assert.equal((await store.read('acme', 'crm', 'state.json.gz'))?.toString(), 'second, longer');
        assert.equal(await store.read('acme', 'crm', 'previous.json.gz'), undefined);
      }),
    );

    void it(
      'keeps tenants, destinations and names apart, and lists the tenant’s destinations only',
      withStore(async ({ store }) => {
        await store.write('acme', 'crm', 'state.json.gz', Buffer.from('acme crm'));
        await store.write('acme', 'dsp', 'previous.json.gz', Buffer.from('acme dsp'));
        await store.write('globex', 'crm', 'state.json.gz', Buffer.from('globex crm'));
        assert.deepEqual((await store.destinations('acme')).sort(), ['crm', 'dsp']);
        assert.deepEqual(await store.destinations('globex'), ['crm']);
        assert.deepEqual(await store.destinations('acm'), []);
        assert.equal((await store.read('globex', 'crm', 'state.json.gz'))?.toString(), 'globex crm');
        assert.equal(await store.read('acme', 'dsp', 'state.json.gz'), undefined);
      }),
    );

    void it(
      'gives another process the same bytes, a large file too',
      withStore(async ({ store, again }) => {
        const large = randomBytes(3 * 1024 * 1024 + 17);
        await store.write('acme', 'crm', 'state.json.gz', large);
        const other = await again();
        assert.ok((await other.read('acme', 'crm', 'state.json.gz'))?.equals(large));
        await other.write('acme', 'crm', 'state.json.gz', Buffer.from('from the other'));
        assert.equal((await store.read('acme', 'crm', 'state.json.gz'))?.toString(), 'from the other');
      }),
    );

    void it(
      'holds the members of delta runs: base, re-run, and a deletion erased from every destination',
      withStore(async ({ store, again }) => {
        const crm = new MemberState(store, 'acme', 'crm');
        await crm.commit(
          'r1',
          new Map([
            ['c-1', ['483']],
            ['c-2', ['484']],
          ]),
        );
        await crm.commit(
          'r2',
          new Map([
            ['c-2', ['484']],
            ['c-3', ['485']],
          ]),
        );
        await new MemberState(store, 'acme', 'dsp').commit('d1', new Map([['c-2', ['9']]]));
        // another process bases its next delta on r2, and a re-run of r2 on r1
        const other = new MemberState(await again(), 'acme', 'crm');
        assert.deepEqual([...(await other.base('r3')).members.keys()], ['c-2', 'c-3']);
        assert.equal((await other.base('r2')).runId, 'r1');
        assert.equal(await eraseMemberStates(store, 'acme', new Set(['c-2'])), 3);
        // the deleted visitor's ID stays once, with no segment, so the next delta removes it
        assert.deepEqual(
          [...(await crm.base('r3')).members],
          [
            ['c-3', ['485']],
            ['c-2', []],
          ],
        );
        assert.deepEqual(
          [...(await new MemberState(store, 'acme', 'dsp').base('d2')).members],
          [['c-2', []]],
        );
      }),
    );
  });
}
