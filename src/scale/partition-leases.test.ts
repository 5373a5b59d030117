/**
 * Partition leases on a real nats-server (2.9 or later): workers share P partitions out, a crashed
 * worker's partitions move once its leases expired, a stopped one's move at once, and no partition is
 * ever owned by two workers at the same instant (every test samples `owned()` of all workers every few
 * milliseconds). Leases last 600 ms here so that expiry takes a fraction of a second.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsServer } from '../../test/helpers/nats-servers.ts';
import type { NatsServers } from '../../test/helpers/nats-servers.ts';
import {
  Fleet,
  P,
  PERIOD,
  TTL,
  abandonFleets,
  sleep,
  startProxy,
  waitFor,
} from '../../test/helpers/lease-fleet.ts';
import { LeaseTable } from './lease-table.ts';

describe('partition leases', () => {
  let nats: NatsServers;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await abandonFleets();
    await nats.stop();
  });

  test('three workers settle to 3/3/2, each partition with one owner, and the lease table agrees', async () => {
    const fleet = new Fleet(nats.urls, 'leases-settle');
    await Promise.all(['a', 'b', 'c'].map((id) => fleet.add(id)));
    await waitFor('the workers own 3/3/2', () => fleet.settled([3, 3, 2]));

    const table = await LeaseTable.open({ servers: nats.urls, bucket: 'leases-settle', partitions: P });
    try {
      await table.refresh();
      assert.equal(table.owners().length, P);
      for (let partition = 0; partition < P; partition++) {
        const owner = fleet.ownerOf(partition)!;
        assert.equal(table.ownerOf(partition)?.worker, owner.id, `p.${partition}'s lease names its owner`);
        assert.equal(table.ownerOf(partition)?.url, `http://${owner.id}.test:8080`);
      }
      // the watch keeps the table current without refresh(): a worker leaves, its leases are deleted
      const leaving = fleet.members[0]!;
      const itsPartitions = leaving.leases.owned();
      await fleet.stop(leaving);
      await waitFor('the table no longer names the stopped worker', () =>
        table.owners().every((holder) => holder?.worker !== leaving.id),
      );
      assert.ok(itsPartitions.length > 0);
    } finally {
      await table.close();
    }
    await fleet.end();
  });

  test('a crashed worker loses its partitions within ttl + a renewal period, never before its leases expired', async () => {
    const fleet = new Fleet(nats.urls, 'leases-crash');
    await Promise.all(['a', 'b', 'c'].map((id) => fleet.add(id)));
    await waitFor('the workers own 3/3/2', () => fleet.settled([3, 3, 2]));
    const table = await LeaseTable.open({ servers: nats.urls, bucket: 'leases-crash', partitions: P });
    try {
      const dead = fleet.live().find((member) => member.leases.owned().length === 3)!;
      const itsPartitions = dead.leases.owned();
      const crashedAt = Date.now();
      await fleet.crash(dead);
      await table.refresh(); // its last writes have landed: the lease ends the others must wait for
      const until = new Map(itsPartitions.map((p) => [p, table.ownerOf(p)!.until]));
      for (const p of itsPartitions) assert.equal(table.ownerOf(p)?.worker, dead.id);

      await waitFor('the two others own 4/4', () => fleet.settled([4, 4]), 3 * TTL);
      for (const p of itsPartitions) {
        const gains = fleet
          .live()
          .flatMap((member) => member.gained.filter((e) => e.partition === p && e.at > crashedAt));
        assert.equal(gains.length, 1, `p.${p} was gained once after the crash`);
        const gainedAt = gains[0]!.at;
        assert.ok(
          gainedAt > until.get(p)!,
          `p.${p} gained at ${gainedAt}, after the dead lease's end ${until.get(p)}`,
        );
        assert.ok(
          gainedAt - crashedAt <= TTL + PERIOD + 100,
          `p.${p} gained ${gainedAt - crashedAt} ms after the crash (ttl ${TTL} + period ${PERIOD})`,
        );
      }
      assert.deepEqual(dead.lost, [], 'a crash calls no callback');
    } finally {
      await table.close();
    }
    await fleet.end();
  });

  test('stop() calls onLost, then deletes its leases: the others take them at once, not after the ttl', async () => {
    const fleet = new Fleet(nats.urls, 'leases-stop');
    await Promise.all(['a', 'b', 'c'].map((id) => fleet.add(id)));
    await waitFor('the workers own 3/3/2', () => fleet.settled([3, 3, 2]));
    const table = await LeaseTable.open({ servers: nats.urls, bucket: 'leases-stop', partitions: P });
    try {
      const leaving = fleet.live().find((member) => member.leases.owned().length === 3)!;
      const itsPartitions = leaving.leases.owned();
      await table.refresh();
      const until = new Map(itsPartitions.map((p) => [p, table.ownerOf(p)!.until]));
      const stoppedAt = Date.now();
      await fleet.stop(leaving);
      assert.deepEqual(
        leaving.lost.map((e) => e.partition).sort(),
        itsPartitions,
        'onLost was called for each partition it held',
      );
      assert.deepEqual(leaving.leases.owned(), []);
      await waitFor('the two others own 4/4', () => fleet.settled([4, 4]), 3 * TTL);
      for (const p of itsPartitions) {
        const gain = fleet
          .live()
          .flatMap((member) => member.gained.filter((e) => e.partition === p && e.at >= stoppedAt))[0];
        assert.ok(gain !== undefined, `p.${p} was gained by another worker`);
        const lost = leaving.lost.find((e) => e.partition === p)!;
        assert.ok(lost.at <= gain.at, `p.${p}: onLost of the old owner came before onGained of the new one`);
        assert.ok(
          gain.at < until.get(p)!,
          `p.${p} was taken at once (${gain.at - stoppedAt} ms), before its lease's end`,
        );
      }
    } finally {
      await table.close();
    }
    await fleet.end();
  });

  test('a joining worker gets its share: the others release their highest partitions, onLost first', async () => {
    const fleet = new Fleet(nats.urls, 'leases-join');
    const [a, b] = await Promise.all([fleet.add('a'), fleet.add('b')]);
    await waitFor('two workers own 4/4', () => fleet.settled([4, 4]));
    const before = new Map([a, b].map((member) => [member.id, member.leases.owned()]));
    await fleet.add('c');
    await waitFor('three workers own 3/3/2', () => fleet.settled([3, 3, 2]));
    for (const member of [a, b]) {
      const kept = member.leases.owned();
      const released = before.get(member.id)!.filter((p) => !kept.includes(p));
      assert.ok(
        kept.every((p) => before.get(member.id)!.includes(p)),
        `${member.id} took nothing new`,
      );
      assert.ok(
        released.every((r) => kept.every((k) => r > k)),
        `${member.id} released its highest partitions: kept ${kept.join()}, released ${released.join()}`,
      );
      assert.deepEqual(
        member.lost.map((e) => e.partition).sort(),
        released.sort(),
        `${member.id} called onLost for exactly the partitions it released`,
      );
    }
    await fleet.end();
  });

  test('a partition counts as owned only once onGained resolved, and its lease is renewed meanwhile', async () => {
    const fleet = new Fleet(nats.urls, 'leases-slow');
    const slowMs = 3 * TTL;
    const member = await fleet.add('slow', slowMs);
    const table = await LeaseTable.open({ servers: nats.urls, bucket: 'leases-slow', partitions: P });
    try {
      await waitFor('onGained(0) started', () => member.gained.length > 0);
      const started = member.gained[0]!.at;
      await sleep(2 * TTL); // longer than a lease: only renewals keep it
      assert.deepEqual(member.leases.owned(), [], 'not owned while onGained runs');
      assert.equal(table.ownerOf(0)?.worker, 'slow', 'the lease is held (renewed) while onGained runs');
      await waitFor('p.0 owned', () => member.leases.owned().includes(0), 2 * slowMs);
      // a timer may fire a millisecond before Date.now() says its delay passed (both are read in whole ms)
      const tookMs = Date.now() - started;
      assert.ok(
        tookMs >= slowMs - 2,
        `owned ${tookMs} ms after onGained started, before it resolved (${slowMs} ms)`,
      );
      assert.deepEqual(member.lost, [], 'no lease was lost while onGained ran');
    } finally {
      await table.close();
    }
    await fleet.end();
  });

  test('a worker cut off from NATS stops owning its partitions before the others take them', async () => {
    const fleet = new Fleet(nats.urls, 'leases-cut');
    const proxy = await startProxy(nats.urls[0]!);
    try {
      const [cut] = await Promise.all([fleet.add('cut', 5, [proxy.url]), fleet.add('b'), fleet.add('c')]);
      await waitFor('the workers own 3/3/2', () => fleet.settled([3, 3, 2]));
      const table = await LeaseTable.open({ servers: nats.urls, bucket: 'leases-cut', partitions: P });
      const itsPartitions = cut.leases.owned();
      const cutAt = Date.now();
      proxy.cut();
      await sleep(50); // a renewal in flight has landed or failed by now
      await table.refresh();
      const until = new Map(itsPartitions.map((p) => [p, table.ownerOf(p)!.until]));
      await table.close();
      await waitFor('it owns nothing', () => cut.leases.owned().length === 0, 2 * TTL);
      assert.ok(Date.now() - cutAt <= TTL, 'it stopped counting them as its own before the lease end');
      await waitFor(
        'the two others own 4/4',
        () =>
          fleet
            .live()
            .filter((m) => m !== cut)
            .every((m) => m.leases.owned().length === 4),
        3 * TTL,
      );
      for (const p of itsPartitions) {
        const gain = fleet
          .live()
          .flatMap((m) => m.gained.filter((e) => e.partition === p && e.at > cutAt))[0]!;
        assert.ok(gain.at > until.get(p)!, `p.${p} was gained after the cut worker's lease end`);
      }
      await waitFor(
        'onLost for each of its partitions',
        () => cut.lost.length === itsPartitions.length,
        2 * TTL,
      );
      assert.deepEqual(cut.lost.map((e) => e.partition).sort(), itsPartitions);
      await fleet.end(); // the overlap check: its owned() never met the new owners'
    } finally {
      proxy.close();
    }
  });

  test('churn: workers join, crash and stop, and no partition is ever owned twice', async () => {
    const fleet = new Fleet(nats.urls, 'leases-churn');
    const [a, b] = await Promise.all([fleet.add('a'), fleet.add('b', 30)]);
    await sleep(PERIOD);
    const c = await fleet.add('c');
    await sleep(PERIOD / 2);
    await fleet.crash(a);
    const d = await fleet.add('d', 30);
    await sleep(PERIOD);
    await fleet.stop(b);
    await waitFor('c and d own 4/4', () => fleet.settled([4, 4]), 4 * TTL);
    await fleet.stop(c);
    await waitFor('d owns all 8', () => fleet.settled([8]), 4 * TTL);
    assert.deepEqual(d.leases.owned(), [0, 1, 2, 3, 4, 5, 6, 7]);
    await fleet.end();
  });
});

describe('partition leases without NATS', () => {
  test('a worker that cannot renew for longer than its leases drops them by itself', async () => {
    const nats = await startNatsServer();
    try {
      const fleet = new Fleet(nats.urls, 'leases-lost');
      const member = await fleet.add('alone');
      await waitFor('it owns all 8', () => fleet.settled([8]));
      const killedAt = Date.now();
      await nats.servers[0]!.kill();
      await waitFor('it owns nothing', () => member.leases.owned().length === 0, 2 * TTL);
      assert.ok(Date.now() - killedAt <= TTL, 'owned() is empty before the lease would end');
      await waitFor('onLost was called for each', () => member.lost.length === P, 2 * TTL);
      assert.deepEqual(member.lost.map((e) => e.partition).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
      const stopping = Date.now();
      await fleet.end();
      assert.ok(Date.now() - stopping < 3_000, 'stop() does not hang while NATS is away');
    } finally {
      await abandonFleets();
      await nats.stop();
    }
  });
});
