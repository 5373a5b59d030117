import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LogRecord } from './event-log.ts';
import { openFileEventLog } from './file-event-log.ts';
import type { FileEventLog } from './file-event-log.ts';
import { sampleRecord, uidOf } from './testing/sample-records.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-log-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function replayAll(log: FileEventLog, fromSeq = 1): Promise<{ seq: number; record: LogRecord }[]> {
  const out: { seq: number; record: LogRecord }[] = [];
  await log.replay(fromSeq, (seq, record) => out.push({ seq, record }));
  return out;
}

void describe('openFileEventLog', () => {
  void it('round-trips records across several segment rotations', async () => {
    const dir = await freshDir();
    const log = await openFileEventLog(dir, { segmentBytes: 4096 });
    for (let i = 1; i <= 100; i += 4) {
      const last = await log.append([i, i + 1, i + 2, i + 3].map((n) => sampleRecord(n)));
      assert.equal(last, i + 3);
    }
    const files = (await readdir(dir)).sort();
    assert.ok(files.length >= 5, `expected several segments, got ${files.join(', ')}`);
    assert.equal(files[0], '00000000000000000001.log');
    const replayed = await replayAll(log);
    assert.deepEqual(
      replayed.map((r) => r.seq),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.deepEqual(replayed[41]?.record, sampleRecord(42));
    assert.equal(log.lastSeq(), 100);
    await log.close();
  });

  void it('replays from a seq in the middle of a middle segment', async () => {
    const dir = await freshDir();
    const log = await openFileEventLog(dir, { segmentBytes: 2000 });
    for (let n = 1; n <= 60; n++) await log.append([sampleRecord(n)]);
    const replayed = await replayAll(log, 37);
    assert.deepEqual(
      replayed.map((r) => uidOf(r.record)),
      Array.from({ length: 24 }, (_, i) => `u${i + 37}`),
    );
    assert.deepEqual(await replayAll(log, 61), []);
    await log.close();
  });

  void it('keeps seqs consecutive across close and reopen', async () => {
    const dir = await freshDir();
    const first = await openFileEventLog(dir, { segmentBytes: 3000 });
    await first.append([sampleRecord(1), sampleRecord(2), sampleRecord(3)]);
    await first.close();
    const second = await openFileEventLog(dir, { segmentBytes: 3000 });
    assert.equal(second.lastSeq(), 3);
    assert.equal(await second.append([sampleRecord(4)]), 4);
    assert.equal(await second.append([sampleRecord(5), sampleRecord(6)]), 6);
    await second.close();
    const third = await openFileEventLog(dir, { segmentBytes: 3000 });
    const replayed = await replayAll(third);
    assert.deepEqual(
      replayed.map((r) => [r.seq, uidOf(r.record)]),
      [1, 2, 3, 4, 5, 6].map((n) => [n, `u${n}`]),
    );
    await third.close();
  });

  void it('group-commits 1,000 concurrent appends into far fewer flushes, with distinct increasing seqs', async () => {
    const dir = await freshDir();
    const log = await openFileEventLog(dir);
    const acks = await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append([sampleRecord(i)])));
    const { flushes, records } = log.stats();
    assert.equal(records, 1000);
    assert.ok(flushes <= 10, `expected few flushes, got ${flushes}`);
    // appends issued in order get seqs in that order
    assert.deepEqual(
      acks,
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
    const replayed = await replayAll(log);
    assert.equal(uidOf(replayed[999]?.record ?? sampleRecord(-1)), 'u999');
    await log.close();
  });

  void it('puts appends that arrive during a flush into the next batch', async () => {
    const log = await openFileEventLog(await freshDir());
    const firstAck = log.append([sampleRecord(0)]);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is on its way to disk
    const rest = Promise.all(Array.from({ length: 100 }, (_, i) => log.append([sampleRecord(i + 1)])));
    assert.equal(await firstAck, 1);
    assert.deepEqual(
      await rest,
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    assert.equal(log.stats().flushes, 2);
    await log.close();
  });

  void it('drops only whole old segments, never the active one, and counts their records', async () => {
    const dir = await freshDir();
    let clock = 1000;
    const log = await openFileEventLog(dir, { segmentBytes: 1500, now: () => clock });
    for (let n = 1; n <= 12; n++) {
      await log.append([sampleRecord(n)]);
      clock += 100; // record n is appended at 900 + 100 n
    }
    const before = (await readdir(dir)).sort();
    // segments of 3 records each: 1-3, 4-6, 7-9, 10-12
    assert.deepEqual(before, [
      '00000000000000000001.log',
      '00000000000000000004.log',
      '00000000000000000007.log',
      '00000000000000000010.log',
    ]);
    assert.equal(await log.dropOlderThan(1500), 3); // records 1-3 at 1000..1200; record 6 is at 1500
    assert.deepEqual((await readdir(dir)).sort(), before.slice(1));
    assert.equal(await log.dropOlderThan(1000), 0);
    assert.equal(await log.dropOlderThan(1e9), 6); // not the active segment 10-12
    assert.deepEqual(await readdir(dir), ['00000000000000000010.log']);
    assert.deepEqual(
      (await replayAll(log)).map((r) => r.seq),
      [10, 11, 12],
    );
    await log.close();
    const reopened = await openFileEventLog(dir, { segmentBytes: 1500 });
    assert.equal(reopened.lastSeq(), 12);
    await reopened.close();
  });

  void it('reads append times of segments from disk after a reopen to drop them', async () => {
    const dir = await freshDir();
    let clock = 1000;
    const log = await openFileEventLog(dir, { segmentBytes: 1500, now: () => clock });
    for (let n = 1; n <= 7; n++) {
      await log.append([sampleRecord(n)]);
      clock += 100;
    }
    await log.close();
    const reopened = await openFileEventLog(dir, { segmentBytes: 1500 });
    assert.equal(await reopened.dropOlderThan(1250), 3);
    assert.equal(await reopened.dropOlderThan(1550), 3);
    assert.equal(reopened.stats().segments, 1);
    await reopened.close();
  });
});
