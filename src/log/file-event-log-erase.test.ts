import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LogRecord } from './event-log.ts';
import { openFileEventLog } from './file-event-log.ts';
import { CorruptLogError } from './log-errors.ts';
import { HEADER_BYTES } from './record-format.ts';
import { listSegments } from './segment-files.ts';
import { anyFileHolds, inodes, replayAll, visitorRecord } from './testing/erase-fixtures.ts';
import { sampleRecord } from './testing/sample-records.ts';
import { visitorMatcher } from './visitor-matcher.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-erase-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const SECRET = 'secret-visitor-7f3a';
const VISITOR_SEQS = [2, 3, 11, 12, 13, 29, 39];
const tombstone: LogRecord = { kind: 'erased', tenant: 't1' };

/** 40 records, one per append, over ~10 segments; the visitor's at VISITOR_SEQS, one in the active segment. */
function records(): LogRecord[] {
  return Array.from({ length: 40 }, (_, i) =>
    VISITOR_SEQS.includes(i + 1) ? visitorRecord(i + 1, SECRET) : sampleRecord(i + 1),
  );
}

async function writtenLog(dir: string, segmentBytes = 2000) {
  const log = await openFileEventLog(dir, { segmentBytes });
  for (const record of records()) await log.append([record]);
  return log;
}

/** The names of the segments (by seq range, as they were written) that hold any of `seqs`. */
async function segmentsHolding(dir: string, seqs: number[]): Promise<string[]> {
  const segments = await listSegments(dir);
  return segments
    .filter((s, i) => seqs.some((q) => q >= s.firstSeq && q < (segments[i + 1]?.firstSeq ?? Infinity)))
    .map((s) => s.path.slice(dir.length + 1));
}

void describe('FileEventLog.erase', () => {
  void it('replaces a visitor’s records in every segment by tombstones with the same seqs, and only them', async () => {
    const dir = await freshDir();
    const log = await writtenLog(dir);
    const touched = await segmentsHolding(dir, VISITOR_SEQS);
    const before = await inodes(dir);
    assert.ok(before.size >= 8, 'several segments');
    assert.ok(touched.length >= 4 && touched.length < before.size, 'some segments hold the visitor');
    assert.ok(touched.includes([...before.keys()].at(-1) ?? ''), 'the active segment holds one');

    const result = await log.erase(visitorMatcher('t1', SECRET, {}));

    assert.deepEqual(result, { erased: VISITOR_SEQS.length, segmentsRewritten: touched.length });
    const expected = records().map((record, i) => ({
      seq: i + 1,
      record: VISITOR_SEQS.includes(i + 1) ? tombstone : record,
    }));
    assert.deepEqual(await replayAll(log), expected);
    const afterErase = await inodes(dir);
    for (const [name, ino] of before) {
      assert.equal(afterErase.get(name) !== ino, touched.includes(name), `${name} rewritten iff touched`);
    }
    assert.equal(afterErase.size, before.size + 1, 'the active segment was sealed: a new one started');
    assert.equal(await anyFileHolds(dir, SECRET), false, 'the visitor’s ID is in no file');
    assert.equal(await log.append([sampleRecord(41)]), 41);
    await log.close();

    const reopened = await openFileEventLog(dir, { segmentBytes: 2000 });
    assert.equal(reopened.lastSeq(), 41);
    assert.deepEqual(await replayAll(reopened), [...expected, { seq: 41, record: sampleRecord(41) }]);
    const beforeSecond = await inodes(dir);
    assert.deepEqual(await reopened.erase(visitorMatcher('t1', SECRET, {})), {
      erased: 0,
      segmentsRewritten: 0,
    });
    assert.deepEqual(await inodes(dir), beforeSecond, 'a second erase rewrites nothing');
    await reopened.close();
  });

  void it('rewrites nothing when nothing matches, and does not seal the active segment', async () => {
    const dir = await freshDir();
    const log = await writtenLog(dir);
    const before = await inodes(dir);
    assert.deepEqual(await log.erase(() => false), { erased: 0, segmentsRewritten: 0 });
    assert.deepEqual(await inodes(dir), before);
    await log.close();
  });

  void it('keeps records appended during the erase, in order, even those the filter would match', async () => {
    const dir = await freshDir();
    const log = await openFileEventLog(dir, { segmentBytes: 16 * 1024 });
    for (let n = 1; n <= 3000; n += 100) {
      await log.append(Array.from({ length: 100 }, (_, i) => visitorRecord(n + i, `v${(n + i) % 5}`)));
    }
    let erasing = true;
    const erase = log.erase((record) => record.kind === 'event' && record.event.uid === 'v0');
    void erase.finally(() => (erasing = false));
    let appendedWhileErasing = 0;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      const seqs: number[] = [];
      for (let k = 0; k < 40; k++) {
        seqs.push(await log.append([visitorRecord(10_000 + w * 100 + k, 'v0')]));
        if (erasing) appendedWhileErasing++;
      }
      return seqs;
    });
    const [acks, result] = await Promise.all([Promise.all(writers), erase]);
    assert.ok(appendedWhileErasing > 0, 'some appends were acknowledged while the erase ran');
    assert.equal(result.erased, 600);
    assert.deepEqual(
      acks.flat().sort((a, b) => a - b),
      Array.from({ length: 160 }, (_, i) => 3001 + i),
    );
    await log.close();
    const reopened = await openFileEventLog(dir, { segmentBytes: 16 * 1024 });
    const replayed = await replayAll(reopened);
    assert.deepEqual(
      replayed.map((r) => r.seq),
      Array.from({ length: 3160 }, (_, i) => i + 1),
    );
    for (const { seq, record } of replayed) {
      const wasV0 = seq <= 3000 && seq % 5 === 0;
      assert.equal(record.kind === 'erased', wasV0, `seq ${seq}`);
    }
    acks.forEach((seqs, w) =>
      seqs.forEach((seq, k) => {
        const record = replayed[seq - 1]?.record;
        assert.ok(record?.kind === 'event' && record.event.ts === visitorRecordTs(10_000 + w * 100 + k));
      }),
    );
    await reopened.close();
  });

  void it('lets a replay that began before the active segment was sealed read it after its rewrite', async () => {
    const dir = await freshDir();
    const log = await openFileEventLog(dir, { segmentBytes: 1024 * 1024 });
    for (let n = 1; n <= 20_000; n += 1000) {
      await log.append(Array.from({ length: 1000 }, (_, i) => sampleRecord(n + i)));
    }
    const matches = visitorMatcher('t1', SECRET, {});
    let readAfterRewrite = 0;
    // timing, so a few attempts: one is enough to show the window is handled
    for (let attempt = 0; attempt < 4 && readAfterRewrite === 0; attempt++) {
      const seq = await log.append([visitorRecord(attempt, SECRET), sampleRecord(20_001 + attempt)]);
      const seen: LogRecord[] = [];
      let replay: Promise<void> | undefined;
      // the erase offers the visitor's record first while it checks the active segment, before sealing
      // it: a replay starting then has the segment as active, and reaches it (after 20,000 records)
      // once the erase has sealed and shortened it
      const erase = log.erase((record, s) => {
        const match = matches(record, s);
        if (match) replay ??= log.replay(1, (_s, r) => seen.push(r));
        return match;
      });
      assert.equal((await erase).erased, 1);
      await replay;
      assert.equal(seen.length, seq, 'the replay delivered every record up to its start');
      assert.deepEqual(seen.at(-1), sampleRecord(20_001 + attempt));
      if (seen[seq - 2]?.kind === 'erased') readAfterRewrite++;
    }
    assert.equal(readAfterRewrite, 1, 'a replay read the segment after its rewrite');
    await log.close();
  });

  void it('keeps append times, so dropOlderThan drops the same segments after erasure and a reopen', async () => {
    const dir = await freshDir();
    let clock = 1000;
    const log = await openFileEventLog(dir, { segmentBytes: 2000, now: () => clock });
    for (const record of records()) {
      await log.append([record]);
      clock += 100; // record n at 900 + 100 n
    }
    assert.equal((await log.erase(visitorMatcher('t1', SECRET, {}))).erased, VISITOR_SEQS.length);
    await log.close();
    const reopened = await openFileEventLog(dir, { segmentBytes: 2000 });
    const segments = await listSegments(dir);
    const third = segments[2]?.firstSeq ?? NaN;
    // records before the third segment were all appended before 900 + 100 * third
    assert.equal(await reopened.dropOlderThan(900 + 100 * third), third - 1);
    assert.deepEqual((await replayAll(reopened))[0], {
      seq: third,
      record: VISITOR_SEQS.includes(third) ? tombstone : records()[third - 1],
    });
    assert.equal(await reopened.dropOlderThan(1e9), 40 - third + 1, 'all but the new, empty active one');
    await reopened.close();
  });

  void it('refuses to rewrite a damaged segment and leaves it as it was', async () => {
    const dir = await freshDir();
    const log = await writtenLog(dir);
    await log.close();
    const segments = await listSegments(dir);
    const first = segments[0]?.path ?? '';
    const handle = await open(first, 'r+');
    await handle.write(Buffer.from('?'), 0, 1, HEADER_BYTES + 30); // inside record 1
    await handle.close();
    const damaged = await readFile(first);
    const reopened = await openFileEventLog(dir, { segmentBytes: 2000 });
    await assert.rejects(
      reopened.erase(visitorMatcher('t1', SECRET, {})),
      (err: unknown) => err instanceof CorruptLogError && err.file === first && err.offset === 0,
    );
    assert.deepEqual(await readFile(first), damaged);
    await reopened.close();
  });

  void it('deletes a temp file left by a rewrite cut short, keeping the segment it was to replace', async () => {
    const dir = await freshDir();
    const log = await writtenLog(dir);
    await log.close();
    const first = (await listSegments(dir))[0]?.path ?? '';
    const whole = await readFile(first);
    await writeFile(`${first}.tmp`, whole.subarray(0, 100)); // half a rewrite
    const reopened = await openFileEventLog(dir, { segmentBytes: 2000 });
    assert.equal((await readdir(dir)).filter((name) => name.endsWith('.tmp')).length, 0);
    assert.deepEqual(
      await replayAll(reopened),
      records().map((record, i) => ({ seq: i + 1, record })),
    );
    await reopened.close();
  });
});

function visitorRecordTs(n: number): number {
  const record = sampleRecord(n);
  return record.kind === 'event' ? record.event.ts : NaN;
}
