import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventLog, LogRecord } from '../../src/log/event-log.ts';
import { LogClosedError } from '../../src/log/log-errors.ts';
import { sampleRecord } from '../../src/log/testing/sample-records.ts';

/**
 * An event log under test, opened fresh and empty on a clock the test moves (`appendedAt`).
 *
 * Example: `const { log, close } = await open({ now: () => clock });`
 */
export interface LogFixture {
  log: EventLog;
  /**
   * Closes the log and opens it again on the same storage, as a restarted process would; only for an
   * adapter that claims durability (the file log). The durability tests are skipped without it.
   */
  reopen?: () => Promise<EventLog>;
  /** Closes the log (if still open) and deletes what it wrote. */
  close: () => Promise<void>;
}

/**
 * Opens an adapter. It must retain records at least at the granularity of a few records (the file
 * log's fixture uses small segment files), so that `dropOlderThan` has something to drop.
 */
export type OpenLog = (options: { now: () => number }) => Promise<LogFixture>;

interface Replayed {
  seq: number;
  record: LogRecord;
  appendedAt: number;
}

async function replayAll(log: EventLog, fromSeq = 1): Promise<Replayed[]> {
  const out: Replayed[] = [];
  await log.replay(fromSeq, (seq, record, appendedAt) => out.push({ seq, record, appendedAt }));
  return out;
}

const deletion = (uid: string): LogRecord => ({
  kind: 'delete',
  tenant: 't2',
  uid,
  ids: { maid: `m-${uid}` },
});

/**
 * The `EventLog` contract: consecutive seqs from 1, contiguous per append; replay in order from a seq,
 * records as appended with their append time, only what was there when it started; retention of a
 * prefix older than a cutoff; erasure into tombstones under the same seq; refusal after close; and,
 * for a durable adapter, all of it after a reopen.
 *
 * Example: `eventLogContract('file log', async ({ now }) => { ... return { log, reopen, close }; })`.
 */
export function eventLogContract(name: string, open: OpenLog): void {
  const withLog = async (fn: (fixture: LogFixture, clock: { t: number }) => Promise<void>): Promise<void> => {
    const clock = { t: 1_000 };
    const fixture = await open({ now: () => clock.t });
    try {
      await fn(fixture, clock);
    } finally {
      await fixture.close();
    }
  };
  const durable = async (
    fn: (fixture: LogFixture & { reopen: () => Promise<EventLog> }, clock: { t: number }) => Promise<void>,
  ) =>
    withLog(async (fixture, clock) => {
      assert.ok(fixture.reopen, 'a durable adapter gives reopen');
      await fn({ ...fixture, reopen: fixture.reopen }, clock);
    });

  void describe(`EventLog contract: ${name}`, async () => {
    // whether this adapter claims durability is known once it is opened
    const probe = await open({ now: Date.now });
    const skipDurability = probe.reopen === undefined ? 'the adapter keeps nothing across a reopen' : false;
    await probe.close();

    void it('an empty log has lastSeq 0 and replays nothing', async () => {
      await withLog(async ({ log }) => {
        assert.equal(log.lastSeq(), 0);
        assert.deepEqual(await replayAll(log), []);
        assert.deepEqual(await replayAll(log, 0), []);
      });
    });

    void it('append gives consecutive seqs from 1 and resolves with the last; an empty append resolves with the last seq before it', async () => {
      await withLog(async ({ log }) => {
        assert.equal(await log.append([]), 0);
        assert.equal(await log.append([sampleRecord(1)]), 1);
        assert.equal(log.lastSeq(), 1);
        assert.equal(await log.append([sampleRecord(2), sampleRecord(3), deletion('c-4')]), 4);
        assert.equal(log.lastSeq(), 4);
        assert.equal(await log.append([]), 4);
        assert.equal(await log.append([sampleRecord(5)]), 5);
      });
    });

    void it('concurrent appends each get a contiguous run of seqs, together 1..n with none twice', async () => {
      await withLog(async ({ log }) => {
        const sizes = Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
        let n = 0;
        const batches = sizes.map((size) => Array.from({ length: size }, () => sampleRecord(++n)));
        const lasts = await Promise.all(batches.map((batch) => log.append(batch)));
        const byRecord = new Map<string, number>();
        for (const { seq, record } of await replayAll(log))
          byRecord.set(record.kind === 'event' ? record.event.uid : '', seq);
        const seen = new Set<number>();
        batches.forEach((batch, b) => {
          batch.forEach((record, i) => {
            const seq = byRecord.get(record.kind === 'event' ? record.event.uid : '?');
            assert.equal(seq, (lasts[b] ?? NaN) - batch.length + 1 + i, `record ${i} of append ${b}`);
            seen.add(seq ?? NaN);
          });
        });
        assert.equal(seen.size, n);
        assert.equal(log.lastSeq(), n);
        assert.deepEqual(
          [...seen].sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i + 1),
        );
      });
    });

    void it('replay delivers every record from fromSeq on, in order, as appended, with its append time', async () => {
      await withLog(async ({ log }, clock) => {
        const records = [
          sampleRecord(1),
          deletion('c-2'),
          sampleRecord(3, 't2'),
          sampleRecord(4),
          sampleRecord(5),
        ];
        await log.append(records.slice(0, 2));
        clock.t = 2_000;
        await log.append(records.slice(2, 3));
        clock.t = 3_000;
        await log.append(records.slice(3));
        const all = records.map((record, i) => ({
          seq: i + 1,
          record,
          appendedAt: i < 2 ? 1_000 : i < 3 ? 2_000 : 3_000,
        }));
        assert.deepEqual(await replayAll(log), all);
        assert.deepEqual(await replayAll(log, 0), all);
        assert.deepEqual(await replayAll(log, 3), all.slice(2));
        assert.deepEqual(await replayAll(log, 5), all.slice(4));
        assert.deepEqual(await replayAll(log, 6), []);
      });
    });

    void it('a record the caller changes after appending is replayed as it was appended', async () => {
      await withLog(async ({ log }) => {
        const record = sampleRecord(1);
        const pending = log.append([record]);
        if (record.kind === 'event') record.event.uid = 'changed';
        await pending;
        if (record.kind === 'event') record.event.uid = 'changed again';
        assert.deepEqual((await replayAll(log))[0]?.record, sampleRecord(1));
      });
    });

    void it('replay delivers what was appended before it started, not what is appended while it runs', async () => {
      await withLog(async ({ log }) => {
        for (let n = 1; n <= 10; n++) await log.append([sampleRecord(n)]);
        const appended: Promise<number>[] = [];
        const seqs: number[] = [];
        await log.replay(1, (seq) => {
          seqs.push(seq);
          if (seq <= 3) appended.push(log.append([sampleRecord(100 + seq)]));
        });
        assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.deepEqual(
          (await Promise.all(appended)).sort((a, b) => a - b),
          [11, 12, 13],
        );
        assert.equal((await replayAll(log)).length, 13);
      });
    });

    void it('dropOlderThan drops only a prefix of records appended before the cutoff, counts them, and seqs go on', async () => {
      await withLog(async ({ log }, clock) => {
        for (let n = 1; n <= 30; n++) await log.append([sampleRecord(n)]);
        clock.t = 5_000;
        for (let n = 31; n <= 35; n++) await log.append([sampleRecord(n)]);
        assert.equal(await log.dropOlderThan(1_000), 0, 'nothing was appended before 1000');
        const dropped = await log.dropOlderThan(2_000);
        assert.ok(dropped > 0 && dropped <= 30, `dropped ${dropped}`);
        const left = await replayAll(log);
        assert.deepEqual(
          left.map((r) => r.seq),
          Array.from({ length: 35 - dropped }, (_, i) => dropped + 1 + i),
        );
        assert.deepEqual(left.at(-1)?.record, sampleRecord(35));
        assert.equal(log.lastSeq(), 35);
        assert.equal(await log.dropOlderThan(2_000), 0, 'a second call finds nothing more it may drop');
        assert.equal(await log.append([sampleRecord(36)]), 36);
        assert.deepEqual(
          (await replayAll(log, 36)).map((r) => r.seq),
          [36],
        );
      });
    });

    void it('erase puts tombstones, or the records it is given, under the same seqs and append times, and counts both', async () => {
      await withLog(async ({ log }, clock) => {
        await log.append([sampleRecord(1), sampleRecord(2, 't2'), deletion('c-3')]);
        clock.t = 2_000;
        await log.append([sampleRecord(4), sampleRecord(5)]);
        const offered: number[] = [];
        const replacement = sampleRecord(50);
        const result = await log.erase((record, seq) => {
          offered.push(seq);
          if (seq === 2 || seq === 4) return true;
          return seq === 5 ? replacement : false;
        });
        assert.equal(result.erased, 3);
        assert.ok(Number.isInteger(result.segmentsRewritten) && result.segmentsRewritten >= 0);
        // each record is offered, maybe more than once (a filter must be pure: see `EraseFilter`)
        assert.deepEqual(
          [...new Set(offered)].sort((a, b) => a - b),
          [1, 2, 3, 4, 5],
        );
        assert.deepEqual(await replayAll(log), [
          { seq: 1, record: sampleRecord(1), appendedAt: 1_000 },
          { seq: 2, record: { kind: 'erased', tenant: 't2' }, appendedAt: 1_000 },
          { seq: 3, record: deletion('c-3'), appendedAt: 1_000 },
          { seq: 4, record: { kind: 'erased', tenant: 't1' }, appendedAt: 2_000 },
          { seq: 5, record: replacement, appendedAt: 2_000 },
        ]);
        assert.equal(log.lastSeq(), 5);
        assert.equal(await log.append([sampleRecord(6)]), 6);
      });
    });

    void it('erase never offers a tombstone again; with nothing to drop it changes nothing', async () => {
      await withLog(async ({ log }) => {
        for (let n = 1; n <= 6; n++) await log.append([sampleRecord(n)]);
        assert.equal((await log.erase((_record, seq) => seq % 2 === 0)).erased, 3);
        const before = await replayAll(log);
        const offered: number[] = [];
        assert.deepEqual(
          await log.erase((_record, seq) => {
            offered.push(seq);
            return false;
          }),
          { erased: 0, segmentsRewritten: 0 },
        );
        assert.deepEqual(
          [...new Set(offered)].sort((a, b) => a - b),
          [1, 3, 5],
        );
        assert.deepEqual(await replayAll(log), before);
        assert.equal((await log.erase(() => true)).erased, 3, 'only the records not yet erased');
      });
    });

    void it('close lets pending appends finish; append and erase afterwards reject with LogClosedError', async () => {
      await withLog(async ({ log }) => {
        const pending = log.append([sampleRecord(1)]);
        await log.close();
        assert.equal(await pending, 1);
        await assert.rejects(log.append([sampleRecord(2)]), LogClosedError);
        await assert.rejects(
          log.erase(() => true),
          LogClosedError,
        );
        await log.close();
      });
    });

    void it(
      'after a reopen, lastSeq, records and append times are as before, and seqs go on',
      { skip: skipDurability },
      async () => {
        await durable(async ({ log, reopen }, clock) => {
          await log.append([sampleRecord(1), deletion('c-2')]);
          clock.t = 2_000;
          await log.append([sampleRecord(3)]);
          const before = await replayAll(log);
          const again = await reopen();
          assert.equal(again.lastSeq(), 3);
          assert.deepEqual(await replayAll(again), before);
          assert.equal(await again.append([sampleRecord(4)]), 4);
          const third = await reopen();
          assert.deepEqual(
            (await replayAll(third)).map((r) => r.seq),
            [1, 2, 3, 4],
          );
        });
      },
    );

    void it('erasure and retention are kept across a reopen', { skip: skipDurability }, async () => {
      await durable(async ({ log, reopen }, clock) => {
        for (let n = 1; n <= 30; n++) await log.append([sampleRecord(n)]);
        clock.t = 5_000;
        await log.append([sampleRecord(31)]);
        await log.erase((_record, seq) => seq === 31 || seq === 29);
        const dropped = await log.dropOlderThan(2_000);
        const before = await replayAll(log);
        const again = await reopen();
        assert.equal(again.lastSeq(), 31);
        assert.deepEqual(await replayAll(again), before);
        assert.equal(before[0]?.seq, dropped + 1);
        assert.deepEqual(before.at(-1), {
          seq: 31,
          record: { kind: 'erased', tenant: 't1' },
          appendedAt: 5_000,
        });
      });
    });
  });
}
