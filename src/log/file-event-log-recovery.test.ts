import assert from 'node:assert/strict';
import { appendFile, mkdtemp, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openFileEventLog } from './file-event-log.ts';
import { CorruptLogError } from './log-errors.ts';
import { HEADER_BYTES } from './record-format.ts';
import { sampleRecord, uidOf } from './testing/sample-records.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A log of `count` records, one per append, closed; returns its dir and the last segment's path. */
async function writtenLog(count: number, segmentBytes = 64 * 1024): Promise<{ dir: string; last: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-log-'));
  dirs.push(dir);
  const log = await openFileEventLog(dir, { segmentBytes });
  for (let n = 1; n <= count; n++) await log.append([sampleRecord(n)]);
  await log.close();
  const names = (await readdir(dir)).sort();
  return { dir, last: join(dir, names.at(-1) ?? '') };
}

async function uids(dir: string): Promise<string[]> {
  const log = await openFileEventLog(dir);
  const out: string[] = [];
  await log.replay(1, (_seq, record) => out.push(uidOf(record)));
  await log.close();
  return out;
}

const firstFive = ['u1', 'u2', 'u3', 'u4', 'u5'];

async function expectRepaired(dir: string, goodSize: number, last: string): Promise<void> {
  const log = await openFileEventLog(dir);
  assert.equal(log.lastSeq(), 5);
  assert.equal((await stat(last)).size, goodSize);
  assert.ok(log.stats().repairedTail, 'the repair is reported');
  assert.equal(await log.append([sampleRecord(6)]), 6);
  await log.close();
  assert.deepEqual(await uids(dir), [...firstFive, 'u6']);
}

void describe('openFileEventLog after a crash', () => {
  void it('cuts off garbage after the last record', async () => {
    const { dir, last } = await writtenLog(5);
    const good = (await stat(last)).size;
    await appendFile(last, Buffer.from('\x00\x17garbage that is not a record at all'));
    await expectRepaired(dir, good, last);
  });

  void it('cuts off a record whose header was cut short', async () => {
    const { dir, last } = await writtenLog(6);
    const size = (await stat(last)).size;
    const recordBytes = size / 6;
    await truncate(last, size - recordBytes + 10);
    await expectRepaired(dir, size - recordBytes, last);
  });

  void it('cuts off a record whose body was cut short', async () => {
    const { dir, last } = await writtenLog(6);
    const size = (await stat(last)).size;
    await truncate(last, size - 7);
    await expectRepaired(dir, size - size / 6, last);
  });

  void it('cuts off a complete last record whose bytes do not match its checksum', async () => {
    const { dir, last } = await writtenLog(6);
    const size = (await stat(last)).size;
    const handle = await open(last, 'r+');
    await handle.write(Buffer.from('X'), 0, 1, size - 3);
    await handle.close();
    await expectRepaired(dir, size - size / 6, last);
  });

  void it('starts over in an empty last segment whose first batch was torn', async () => {
    const { dir } = await writtenLog(5, 1000);
    const names = (await readdir(dir)).sort();
    const next = join(dir, `${'6'.padStart(20, '0')}.log`);
    await appendFile(next, Buffer.alloc(HEADER_BYTES - 4, 7));
    const log = await openFileEventLog(dir, { segmentBytes: 1000 });
    assert.equal(log.lastSeq(), 5);
    assert.equal(await log.append([sampleRecord(6)]), 6);
    await log.close();
    assert.equal((await readdir(dir)).length, names.length + 1);
    assert.deepEqual(await uids(dir), [...firstFive, 'u6']);
  });

  void it('names the file and offset of a damaged record in an older segment', async () => {
    const { dir } = await writtenLog(12, 1500);
    const names = (await readdir(dir)).sort();
    assert.ok(names.length >= 3);
    const second = join(dir, names[1] ?? '');
    const recordBytes = (await stat(second)).size / 3;
    const handle = await open(second, 'r+');
    await handle.write(Buffer.from('?'), 0, 1, recordBytes + HEADER_BYTES + 5); // inside the 2nd record
    await handle.close();
    const log = await openFileEventLog(dir, { segmentBytes: 1500 });
    assert.equal(log.lastSeq(), 12, 'older segments are not read on open');
    const seen: number[] = [];
    await assert.rejects(
      log.replay(1, (seq) => seen.push(seq)),
      (err: unknown) =>
        err instanceof CorruptLogError &&
        err.file === second &&
        err.offset === recordBytes &&
        err.reason === 'checksum mismatch',
    );
    assert.deepEqual(seen, [1, 2, 3, 4], 'records before the damage were delivered');
    await assert.rejects(log.dropOlderThan(Infinity), CorruptLogError);
    await log.close();
  });
});
