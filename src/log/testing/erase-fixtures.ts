import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord } from '../event-log.ts';
import type { EventLog } from '../event-log.ts';
import { sampleRecord } from './sample-records.ts';

/**
 * `sampleRecord(n, tenant)` with the visitor IDs changed, for erase tests.
 *
 * Example: `visitorRecord(7, 'secret-visitor', { maid: 'm-1' })`
 */
export function visitorRecord(
  n: number,
  uid: string,
  ids: Record<string, string> = {},
  tenant = 't1',
): LogRecord {
  const base = sampleRecord(n, tenant);
  assert.ok(base.kind === 'event');
  return { ...base, event: { ...base.event, uid, ids } };
}

/**
 * Every record of the log with its seq, by replay from seq 1.
 *
 * Example: `(await replayAll(log)).map((r) => r.seq) // [1, 2, 3]`
 */
export async function replayAll(log: EventLog): Promise<{ seq: number; record: LogRecord }[]> {
  const out: { seq: number; record: LogRecord }[] = [];
  await log.replay(1, (seq, record) => out.push({ seq, record }));
  return out;
}

/**
 * The segment files of `dir` (name to inode), to tell which ones a rewrite replaced.
 *
 * Example: `const before = await inodes(dir); ...; assert.equal((await inodes(dir)).get(name), before.get(name));`
 */
export async function inodes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of (await readdir(dir)).sort()) out.set(name, (await stat(join(dir, name))).ino);
  return out;
}

/**
 * Whether any file of `dir` holds `text` in its bytes.
 *
 * Example: `assert.equal(await anyFileHolds(dir, 'secret-visitor'), false)`
 */
export async function anyFileHolds(dir: string, text: string): Promise<boolean> {
  for (const name of await readdir(dir)) {
    if ((await readFile(join(dir, name))).includes(text)) return true;
  }
  return false;
}
