import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One segment file of the log: its path and the seq of its first record (from its name). */
export interface Segment {
  firstSeq: number;
  path: string;
  /** latest appendedAt of its records, once known (-Infinity when it has none) */
  maxAppendedAt: number | undefined;
}

const NAME = /^(\d{20})\.log$/;

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
