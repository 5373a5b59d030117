import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { openFileEventLog } from './file-event-log.ts';
import { sampleRecord, uidOf } from './testing/sample-records.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = (name: string): string => fileURLToPath(new URL(`./testing/${name}`, import.meta.url));
const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Ack {
  lastSeq: number;
  n: number;
  count: number;
}

/** Runs append-forever on `dir` until it has printed `killAfter` acks, kills it with SIGKILL, returns the acks. */
function appendThenKill(dir: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script('append-forever.ts'), dir], {
      cwd: root,
    });
    let out = '';
    let err = '';
    let acks = 0;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      acks += text.split('ack ').length - 1;
      if (acks >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended on its own: ${err}`));
      const complete = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
      const parsed = complete
        .filter((line) => line.startsWith('ack '))
        .map((line) => {
          const [lastSeq, n, count] = line.slice(4).split(' ').map(Number);
          return { lastSeq: lastSeq ?? NaN, n: n ?? NaN, count: count ?? NaN };
        });
      resolve(parsed);
    });
  });
}

void describe('file event log under SIGKILL', () => {
  void it(
    'keeps every acknowledged append, in order, without gaps or duplicates',
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'opendmp-log-crash-'));
      dirs.push(dir);
      const acks: Ack[] = [];
      for (const killAfter of [300, 1200, 50]) acks.push(...(await appendThenKill(dir, killAfter)));
      assert.ok(acks.length >= 1550, `only ${acks.length} acks seen`);

      const log = await openFileEventLog(dir, { segmentBytes: 32 * 1024 });
      const uidBySeq: string[] = [];
      let expected = 1;
      await log.replay(1, (seq, record) => {
        assert.equal(seq, expected, 'replay seqs are consecutive from 1');
        expected++;
        uidBySeq[seq] = uidOf(record);
      });
      assert.equal(log.lastSeq(), expected - 1);
      assert.ok(log.stats().segments > 3, 'the run crossed segment rotations');
      for (const ack of acks) {
        assert.ok(ack.lastSeq <= log.lastSeq(), `acknowledged seq ${ack.lastSeq} is missing`);
        for (let k = 0; k < ack.count; k++) {
          assert.equal(
            uidBySeq[ack.lastSeq - ack.count + 1 + k],
            `u${ack.n + k}`,
            `record of ack ${ack.lastSeq}`,
          );
        }
      }
      assert.equal(new Set(acks.map((a) => a.lastSeq)).size, acks.length, 'no seq acknowledged twice');
      assert.equal(await log.append([sampleRecord(0)]), expected);
      await log.close();
    },
  );

  void it(
    'rejects a batch whose write fails and cuts the file back, then goes on',
    { timeout: 30_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'opendmp-log-full-'));
      dirs.push(dir);
      // ulimit -f counts 512-byte blocks in sh; SIGXFSZ ignored so the write fails with EFBIG instead
      const command = `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" --import tsx "${script('append-until-full.ts')}" "${dir}"`;
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], {
          cwd: root,
          env: { ...process.env, TSX_DISABLE_CACHE: '1' },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
      });
      const result = JSON.parse(output) as {
        acked: number;
        rejected: string;
        sizeAfterFailure: number;
        smallSeq: number;
      };
      const recordBytes = result.sizeAfterFailure / result.acked;
      assert.ok(
        result.acked > 10 && Number.isInteger(recordBytes),
        `file holds exactly ${result.acked} whole records`,
      );
      assert.match(result.rejected, /^LogWriteError/);
      assert.ok(result.sizeAfterFailure + recordBytes > 64 * 512, 'it failed for lack of room');
      assert.equal(result.smallSeq, result.acked + 1, 'seqs go on after the failed batch');

      const log = await openFileEventLog(dir);
      assert.equal(log.stats().repairedTail, undefined, 'no torn tail was left behind');
      const seqs: number[] = [];
      await log.replay(1, (seq) => seqs.push(seq));
      assert.deepEqual(
        seqs,
        Array.from({ length: result.acked + 1 }, (_, i) => i + 1),
      );
      await log.close();
    },
  );
});
