import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { LogRecord } from './event-log.ts';
import { openFileEventLog } from './file-event-log.ts';
import { listSegments } from './segment-files.ts';
import { replayAll } from './testing/erase-fixtures.ts';
import { sampleRecord } from './testing/sample-records.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./testing/erase-child.ts', import.meta.url));
const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const MODULO = 7;
const TOTAL = 12_000;
const matched = (n: number): boolean => n % MODULO === 0;

/**
 * Runs erase-child on `dir` and kills it with SIGKILL as soon as its `killAt`-th temp file appears
 * (that segment's rewrite under way, the ones before done). Resolves with whether it was killed.
 */
function eraseThenKill(dir: string, killAt: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const temps = new Set<string>();
    const watcher = watch(dir, (_event, name) => {
      if (name === null || !name.endsWith('.tmp') || temps.has(name)) return;
      temps.add(name);
      if (temps.size === killAt) proc.kill('SIGKILL');
    });
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(MODULO)], { cwd: root });
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      watcher.close();
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`erase-child failed: ${err}`));
    });
  });
}

/**
 * Checks the log opens (deleting temp files) and replays 1..TOTAL, each segment wholly old or wholly
 * erased; counts the erased segments and the temp files there were before the open.
 */
async function checkWholeSegments(
  dir: string,
): Promise<{ erasedSegments: number; segments: number; tempsLeft: number }> {
  const tempsLeft = (await readdir(dir)).filter((name) => name.endsWith('.tmp')).length;
  const log = await openFileEventLog(dir, { segmentBytes: 256 * 1024 });
  assert.deepEqual(
    (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
    [],
    'open deleted the temp files',
  );
  const replayed = await replayAll(log);
  await log.close();
  assert.equal(replayed.length, TOTAL);
  const segments = (await listSegments(dir)).filter((s) => s.firstSeq <= TOTAL);
  let erasedSegments = 0;
  segments.forEach((segment, i) => {
    const end = segments[i + 1]?.firstSeq ?? TOTAL + 1;
    const states = new Set<string>();
    for (let seq = segment.firstSeq; seq < end; seq++) {
      const { seq: got, record } = replayed[seq - 1] ?? { seq: NaN, record: undefined };
      assert.equal(got, seq);
      const original: LogRecord = sampleRecord(seq);
      if (!matched(seq)) assert.deepEqual(record, original, `seq ${seq} unchanged`);
      else if (record?.kind === 'erased') states.add('new');
      else {
        assert.deepEqual(record, original, `seq ${seq} old or tombstone`);
        states.add('old');
      }
    }
    assert.ok(states.size <= 1, `segment ${segment.firstSeq} is wholly old or wholly new`);
    if (states.has('new')) erasedSegments++;
  });
  return { erasedSegments, segments: segments.length, tempsLeft };
}

void describe('FileEventLog.erase under SIGKILL', () => {
  void it(
    'leaves each segment old or new, never half, and a log that opens, replays and finishes the erase',
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'opendmp-erase-crash-'));
      dirs.push(dir);
      const log = await openFileEventLog(dir, { segmentBytes: 256 * 1024 });
      for (let n = 1; n <= TOTAL; n += 500) {
        await log.append(Array.from({ length: 500 }, (_, i) => sampleRecord(n + i)));
      }
      await log.close();

      const progress: number[] = [];
      let killed = 0;
      let tempsLeft = 0;
      for (const killAt of [1, 2, 4]) {
        if (await eraseThenKill(dir, killAt)) killed++;
        const check = await checkWholeSegments(dir);
        progress.push(check.erasedSegments);
        tempsLeft += check.tempsLeft;
        assert.ok(check.segments >= 12);
      }
      assert.ok(killed >= 2, `the child was killed mid-erase (${killed} times)`);
      assert.ok(tempsLeft > 0, 'a crash left a temp file behind');
      const total = (await listSegments(dir)).filter((s) => s.firstSeq <= TOTAL).length;
      assert.ok(
        progress.some((n) => n > 0 && n < total),
        `a crash left some segments erased and some not: ${progress.join(', ')} of ${total}`,
      );

      assert.equal(await eraseThenKill(dir, Infinity), false);
      const done = await checkWholeSegments(dir);
      assert.equal(done.erasedSegments, done.segments, 'a last erase finished the work');
    },
  );
});
