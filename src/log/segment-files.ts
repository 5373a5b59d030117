import { open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One segment file of the log: its path and the seq of its first record (from its name). */
export interface Segment {
  firstSeq: number;
  path: string;
  /** latest appendedAt of its records, once known (-Infinity when it has none) */
  maxAppendedAt: number | undefined;
}

const NAME = /^(\d{20})\.log$/;
const TEMP = /^\d{20}\.log\.tmp$/;

/**
 * The file name of the segment whose first record has `firstSeq`: 20 digits, zero-padded.
 *
 * Example: `segmentName(1) // "00000000000000000001.log"`
 */
export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}.log`;
}

/**
 * Lists the segment files of `dir`, oldest first; other files are ignored.
 *
 * Example: `(await listSegments('data/log')).map((s) => s.firstSeq) // [1, 40213, 80533]`
 */
export async function listSegments(dir: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (const name of await readdir(dir)) {
    const match = NAME.exec(name);
    if (match?.[1] === undefined) continue;
    segments.push({ firstSeq: Number(match[1]), path: join(dir, name), maxAppendedAt: undefined });
  }
  return segments.sort((a, b) => a.firstSeq - b.firstSeq);
}

/**
 * fsyncs a directory, so that files just created in it (or deleted from it) stay so after a crash.
 *
 * Example: `await createSegmentFile(dir, 1); await syncDir(dir);`
 */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The temporary file a segment is rewritten into before it is renamed over the segment. `listSegments`
 * does not see it; `removeTempFiles` deletes what a crash left of it.
 *
 * Example: `tempPathOf('data/log/00000000000000000001.log') // "data/log/00000000000000000001.log.tmp"`
 */
export function tempPathOf(segmentPath: string): string {
  return `${segmentPath}.tmp`;
}

/**
 * Deletes the temporary files of `dir` (rewrites cut short by a crash; the segment they were to replace
 * is still whole) and returns how many went.
 *
 * Example: `await removeTempFiles('data/log'); // 1 after a crash in the middle of an erase`
 */
export async function removeTempFiles(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!TEMP.test(name)) continue;
    await unlink(join(dir, name));
    removed++;
  }
  if (removed > 0) await syncDir(dir);
  return removed;
}
