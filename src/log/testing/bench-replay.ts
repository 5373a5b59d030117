/**
 * Measures append and replay throughput of the file event log with ~360-byte JSON records.
 *
 * Example: `node --import tsx src/log/testing/bench-replay.ts 1000000`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileEventLog } from '../file-event-log.ts';
import { listSegments } from '../segment-files.ts';
import { scanSegment } from '../segment-scanner.ts';
import { sampleRecord } from './sample-records.ts';

const total = Number(process.argv[2] ?? 500_000);
const dir = await mkdtemp(join(tmpdir(), 'opendmp-bench-'));
try {
  const log = await openFileEventLog(dir);
  const appendStart = performance.now();
  const inFlight: Promise<number>[] = [];
  for (let n = 0; n < total; n += 100) {
    inFlight.push(log.append(Array.from({ length: 100 }, (_, i) => sampleRecord(n + i))));
    if (inFlight.length >= 64) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const appendMs = performance.now() - appendStart;
  await log.close();

  const reopenStart = performance.now();
  const reopened = await openFileEventLog(dir);
  const reopenMs = performance.now() - reopenStart;
  let count = 0;
  let bytes = 0;
  const replayStart = performance.now();
  await reopened.replay(1, (_seq, record) => {
    count++;
    if (record.kind === 'event') bytes += record.event.uid.length;
  });
  const replayMs = performance.now() - replayStart;
  await reopened.close();
  const scanStart = performance.now();
  let scanned = 0;
  for (const segment of await listSegments(dir))
    scanned += (await scanSegment(segment.path, segment.firstSeq)).records;
  const scanMs = performance.now() - scanStart;
  const parseStart = performance.now();
  const json = Buffer.from(JSON.stringify(sampleRecord(total)));
  for (let i = 0; i < count; i++)
    bytes += (JSON.parse(json.toString('utf8', 0, json.length)) as object) ? 1 : 0;
  const parseMs = performance.now() - parseStart;
  const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en')}/s`;
  console.log(`records: ${count} (checksum ${bytes}), flushes: ${log.stats().flushes}`);
  console.log(`append (100 per call, 64 calls in flight): ${rate(total, appendMs)}`);
  console.log(`open (scan of the last segment): ${reopenMs.toFixed(0)} ms`);
  console.log(`replay (read, check, JSON.parse): ${rate(count, replayMs)}`);
  console.log(`scan without parsing (read, check crc and seq): ${rate(scanned, scanMs)}`);
  console.log(`bare JSON.parse of one such record, for scale: ${rate(count, parseMs)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
