/**
 * What the JetStream log does beyond the port's contract (which `test/contracts` checks): where records
 * go, that erasure takes the bytes out of the servers' store, dedup by event ID, the single-writer
 * guard, and the clear errors for what it cannot take. On a nats-server of the test's own.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { startNatsServer } from '../../../test/helpers/nats-servers.ts';
import type { NatsServers } from '../../../test/helpers/nats-servers.ts';
import type { EventLog, LogRecord } from '../event-log.ts';
import { LogWriteError } from '../log-errors.ts';
import { sampleRecord, uidOf } from '../testing/sample-records.ts';
import { ErasureOverlay } from './erasure-overlay.ts';
import { openNatsEventLog } from './nats-event-log.ts';
import type { NatsEventLogOptions } from './nats-event-log.ts';
import { fnv1a } from './partition.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function replayUids(log: EventLog): Promise<string[]> {
  const out: string[] = [];
  await log.replay(1, (_seq, record) => out.push(uidOf(record)));
  return out;
}

void describe('NATS JetStream event log', () => {
  let nats: NatsServers;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let streams = 0;
  const logs: EventLog[] = [];
  const open = async (extra: Partial<NatsEventLogOptions> = {}) => {
    const n = ++streams;
    const options = { servers: nats.urls, stream: `T${n}`, subjectPrefix: `t${n}.log`, ...extra };
    const log = await openNatsEventLog(options);
    logs.push(log);
    return { log, stream: options.stream, prefix: options.subjectPrefix };
  };

  before(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.urls });
    jsm = await jetstreamManager(nc);
  });
  after(async () => {
    await Promise.all(logs.map((log) => log.close()));
    await nc.close();
    await nats.stop();
  });

  it("stores each record on its partition's subject: the profile key's hash, or shared", async () => {
    const { log, stream, prefix } = await open({ partitions: 8 });
    const identity: LogRecord = {
      kind: 'identity',
      tenant: 't1',
      caps: { perType: {}, otherwise: 3 },
      perProfile: 2,
    };
    await log.append([sampleRecord(1, 't1'), sampleRecord(1, 't2'), identity]);
    const subjects = await Promise.all(
      [1, 2, 3].map(async (seq) => (await jsm.streams.getMessage(stream, { seq }))?.subject),
    );
    assert.deepEqual(subjects, [
      `${prefix}.${fnv1a('t1\nu1') % 8}`,
      `${prefix}.${fnv1a('t2\nu1') % 8}`,
      `${prefix}.shared`,
    ]);
  });

  it("erase deletes the record's message and its bytes from the server's store; replay shows the tombstone", async () => {
    const { log, stream } = await open();
    const secret = 'visitor-7f3a9c-secret';
    const visitor = sampleRecord(2);
    if (visitor.kind === 'event') visitor.event.uid = secret;
    await log.append([sampleRecord(1), visitor, sampleRecord(3)]);
    const holding = async () => {
      const hits: string[] = [];
      for (const file of await filesUnder(nats.storeDir))
        if ((await readFile(file)).includes(secret)) hits.push(file);
      return hits;
    };
    assert.ok((await holding()).length > 0, 'the store holds the visitor before the erase');
    const result = await log.erase((r) => r.kind === 'event' && r.event.uid === secret);
    assert.deepEqual(result, { erased: 1, segmentsRewritten: 1 });
    assert.equal(await jsm.streams.getMessage(stream, { seq: 2 }), null);
    assert.deepEqual(await holding(), [], 'no file of the store holds the erased visitor');
    assert.deepEqual(await replayUids(log), ['u1', '(erased)', 'u3']);
  });

  it('an erase cut short after the overlay write (a crash) is finished by the next erase', async () => {
    const { log, stream, prefix } = await open({ now: () => 5_000 });
    await log.append([sampleRecord(1), sampleRecord(2), sampleRecord(3)]);
    // what a crash between the two steps leaves: the tombstone written, the message not yet deleted
    const overlay = new ErasureOverlay({ js: jetstream(nc), jsm }, stream, prefix);
    await overlay.put(2, { kind: 'erased', tenant: 't1' }, 5_000);
    assert.deepEqual(await replayUids(log), ['u1', '(erased)', 'u3'], 'the overlay wins at once');
    assert.notEqual(await jsm.streams.getMessage(stream, { seq: 2 }), null);
    const offered: number[] = [];
    const result = await log.erase((_record, seq) => {
      offered.push(seq);
      return false;
    });
    assert.deepEqual(result, { erased: 0, segmentsRewritten: 1 });
    assert.deepEqual(offered, [1, 3], 'the tombstone is not offered');
    assert.equal(await jsm.streams.getMessage(stream, { seq: 2 }), null);
    assert.deepEqual(await replayUids(log), ['u1', '(erased)', 'u3']);
  });

  it('an event ID already stored is not stored again: the append resolves with its seq', async () => {
    const { log } = await open();
    const withId = (n: number): LogRecord => {
      const record = sampleRecord(n);
      if (record.kind === 'event') record.event.id = 'e-1';
      return record;
    };
    assert.equal(await log.append([sampleRecord(1), withId(2)]), 2);
    assert.equal(await log.append([withId(3)]), 2, 'a retry of event e-1');
    assert.equal(log.lastSeq(), 2);
    assert.equal(await log.append([sampleRecord(4)]), 3);
    assert.deepEqual(await replayUids(log), ['u1', 'u2', 'u4']);
  });

  it('a second writer on the stream is refused, stores nothing, and appends again after it caught up', async () => {
    const first = await open();
    const second = await openNatsEventLog({
      servers: nats.urls,
      stream: first.stream,
      subjectPrefix: first.prefix,
    });
    logs.push(second);
    assert.equal(await first.log.append([sampleRecord(1)]), 1);
    await assert.rejects(second.append([sampleRecord(2)]), (error: unknown) => {
      assert.ok(error instanceof LogWriteError);
      assert.match(error.message, /wrong last sequence: 1/);
      return true;
    });
    assert.equal(await second.append([sampleRecord(3)]), 2);
    await assert.rejects(first.log.append([sampleRecord(4)]), LogWriteError);
    assert.equal(await first.log.append([sampleRecord(5)]), 3);
    assert.deepEqual(await replayUids(first.log), ['u1', 'u3', 'u5']);
  });

  it('a record over the server max_payload is refused with a RangeError naming the limit; nothing stored', async () => {
    const { log } = await open();
    const big = sampleRecord(1);
    if (big.kind === 'event') big.event.signals = { blob: 'x'.repeat(1_100_000) };
    await assert.rejects(
      log.append([sampleRecord(0), big]),
      /over what the NATS server takes \(max_payload 1048576\)/,
    );
    assert.equal(log.lastSeq(), 0);
    assert.deepEqual(await replayUids(log), []);
  });

  it('refuses a partition count that is not a whole number from 1, and a stream with other subjects', async () => {
    await assert.rejects(openNatsEventLog({ servers: nats.urls, stream: 'BAD', partitions: 0 }), RangeError);
    const { stream } = await open();
    await assert.rejects(
      openNatsEventLog({ servers: nats.urls, stream, subjectPrefix: 'other.log' }),
      /exists with subjects .*\.log\.\*, not other\.log\.\*/,
    );
  });
});
