import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openFileEventLog } from './file-event-log.ts';
import { HEADER_BYTES } from './record-format.ts';
import { segmentName } from './segment-files.ts';
import { scanSegment } from './segment-scanner.ts';
import { sampleRecord } from './testing/sample-records.ts';

let dir = '';
let path = '';
const bigUid = 'b'.repeat(5000);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opendmp-scan-'));
  path = join(dir, segmentName(1));
  const log = await openFileEventLog(dir);
  await log.append(Array.from({ length: 150 }, (_, i) => sampleRecord(i + 1)));
  await log.append([{ kind: 'delete', tenant: 't1', uid: bigUid }]);
  await log.append(Array.from({ length: 49 }, (_, i) => sampleRecord(i + 152)));
  await log.close();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanUids(chunkBytes: number): Promise<string[]> {
  const uids: string[] = [];
  const scan = await scanSegment(path, 1, {
    chunkBytes,
    onRecord: (_seq, _at, buf, start, end) => {
      const record = JSON.parse(buf.toString('utf8', start, end)) as {
        uid?: string;
        event?: { uid: string };
      };
      uids.push(record.event?.uid ?? record.uid ?? '');
    },
  });
  assert.equal(scan.damage, undefined);
  assert.equal(scan.lastSeq, 200);
  assert.equal(scan.goodBytes, (await stat(path)).size);
  return uids;
}

const expected = Array.from({ length: 200 }, (_, i) => (i === 150 ? bigUid : `u${i + 1}`));

void describe('scanSegment', () => {
  void it('reads records that straddle chunk boundaries', async () => {
    assert.deepEqual(await scanUids(1000), expected);
  });

  void it('grows its buffer for records bigger than a chunk', async () => {
    assert.deepEqual(await scanUids(64), expected);
  });

  void it('stops at the limit it is given; a limit inside a record is a cut', async () => {
    const nineRecords = 9 * (HEADER_BYTES + Buffer.byteLength(JSON.stringify(sampleRecord(1))));
    const upToNine = await scanSegment(path, 1, { limitBytes: nineRecords });
    assert.deepEqual([upToNine.records, upToNine.lastSeq, upToNine.damage], [9, 9, undefined]);
    const intoTenth = await scanSegment(path, 1, { limitBytes: nineRecords + 30 });
    assert.deepEqual(intoTenth.damage, { reason: 'torn', offset: nineRecords });
    assert.equal(intoTenth.goodBytes, nineRecords);
  });
});
