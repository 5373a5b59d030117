import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Release } from './run-slots.ts';
import { RunSlots } from './run-slots.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

void describe('RunSlots', () => {
  void it('lets perTenant runs of a tenant work and queues the rest, first come first served', async () => {
    const slots = new RunSlots({ perTenant: 2, total: 10 });
    const a = slots.tryAcquire('t1');
    const b = slots.tryAcquire('t1');
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(slots.tryAcquire('t1'), undefined);
    const order: string[] = [];
    const third = slots.acquire('t1').then((r) => (order.push('third'), r));
    const fourth = slots.acquire('t1').then((r) => (order.push('fourth'), r));
    assert.equal(slots.queued('t1'), 2);
    assert.ok(slots.tryAcquire('t2') !== undefined, 'another tenant is not held up');
    await tick();
    assert.deepEqual(order, []);
    a();
    a(); // twice: nothing more
    const released = await third;
    await tick();
    assert.deepEqual(order, ['third']);
    released();
    (await fourth)();
    b();
    assert.equal(slots.queued('t1'), 0);
  });

  void it('gives freed slots to the tenants in turn when all slots are taken', async () => {
    const slots = new RunSlots({ perTenant: 4, total: 2 });
    const held = [slots.tryAcquire('big'), slots.tryAcquire('big')];
    const served: string[] = [];
    const wait = (tenant: string): Promise<Release> =>
      slots.acquire(tenant).then((release) => {
        served.push(tenant);
        return release;
      });
    const queued = [wait('big'), wait('big'), wait('big'), wait('small')];
    held[0]?.();
    const first = await Promise.race(queued);
    await tick();
    held[1]?.();
    await tick();
    assert.deepEqual(served, ['big', 'small'], 'small is served second, before the other big runs');
    first();
    await tick();
    assert.deepEqual(served, ['big', 'small', 'big']);
  });

  void it('drops a waiting run whose signal aborts', async () => {
    const slots = new RunSlots({ perTenant: 1, total: 1 });
    const release = slots.tryAcquire('t1');
    const controller = new AbortController();
    const waiting = slots.acquire('t1', controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    assert.equal(slots.queued('t1'), 0);
    release?.();
    assert.ok(slots.tryAcquire('t1') !== undefined, 'the slot is free again');
  });
});
