/**
 * A duty's lease on a real nats-server: of the candidates exactly one does the duty, never two at once
 * (sampled every 2 ms), another takes it at once after a clean stop, and only after the lease ended when
 * the holder is cut off from NATS (it gives the duty up before then). Leases last 600 ms here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsServer } from '../../test/helpers/nats-servers.ts';
import type { NatsServers } from '../../test/helpers/nats-servers.ts';
import { sleep, startProxy, waitFor } from '../../test/helpers/lease-fleet.ts';
import { DutyLease } from './duty-lease.ts';

const TTL = 600;

let nats: NatsServers;
before(async () => {
  nats = await startNatsServer();
});
after(() => nats.stop());

/** Candidates of one duty, each with whether it does it now, and a sampler of overlaps. */
async function candidates(bucket: string, names: string[], servers: (name: string) => string[]) {
  const doing = new Map<string, boolean>(names.map((n) => [n, false]));
  const overlaps: string[] = [];
  const leases = new Map<string, DutyLease>();
  for (const name of names) {
    const lease = await DutyLease.open({
      servers: servers(name),
      bucket,
      duty: 'schedules',
      holder: name,
      ttlMs: TTL,
      take: () => doing.set(name, true),
      give: () => doing.set(name, false),
    });
    leases.set(name, lease);
  }
  const sampler = setInterval(() => {
    const now = [...doing].filter(([, d]) => d).map(([n]) => n);
    if (now.length > 1) overlaps.push(now.join(' and '));
  }, 2);
  const holders = () => [...doing].filter(([, d]) => d).map(([n]) => n);
  const end = async () => {
    clearInterval(sampler);
    await Promise.all([...leases.values()].map((l) => l.stop()));
  };
  const start = (name: string) => leases.get(name)?.start();
  return { leases, holders, overlaps, start, end };
}

test('one candidate does the duty; after a clean stop another takes it at once', async () => {
  const c = await candidates('duties-stop', ['a', 'b', 'c'], () => nats.urls);
  try {
    for (const name of ['a', 'b', 'c']) c.start(name);
    await waitFor('one holder', () => c.holders().length === 1);
    await sleep(TTL * 2); // renewals keep it where it is
    assert.equal(c.holders().length, 1);
    const [first] = c.holders() as [string];
    const stoppedAt = Date.now();
    await c.leases.get(first)?.stop();
    await waitFor('another holder', () => c.holders().length === 1 && c.holders()[0] !== first);
    assert.ok(
      Date.now() - stoppedAt < TTL,
      `taken ${Date.now() - stoppedAt} ms after the stop, before the lease's end`,
    );
    assert.deepEqual(c.overlaps, []);
  } finally {
    await c.end();
  }
});

test('a holder cut off from NATS gives the duty up, and another takes it only after the lease ended', async () => {
  const proxy = await startProxy(nats.urls[0] as string);
  const c = await candidates('duties-cut', ['a', 'b'], (name) => (name === 'a' ? [proxy.url] : nats.urls));
  try {
    c.start('a');
    await waitFor('a holds it', () => c.holders()[0] === 'a');
    c.start('b');
    await sleep(TTL);
    assert.deepEqual(c.holders(), ['a'], 'b waits while a renews');
    const cutAt = Date.now();
    proxy.cut();
    await waitFor('a gives it up', () => !c.holders().includes('a'), 5_000);
    await waitFor('b takes it', () => c.holders()[0] === 'b', 5_000);
    assert.ok(
      Date.now() - cutAt >= TTL / 2,
      `taken ${Date.now() - cutAt} ms after the cut: not before the lease could end`,
    );
    assert.deepEqual(c.overlaps, []);
  } finally {
    proxy.close();
    await c.end();
  }
});
