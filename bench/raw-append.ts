import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** The physical-limit peer of batch ingestion: parse each NDJSON line, write the batch once, `fdatasync` once. */
export interface RawAppend {
  /** Parses every line, appends the bytes durably; resolves to the number of events parsed. */
  append(ndjson: Buffer): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens a raw durable append to `path` (created, appended to).
 * Example: `const raw = await openRawAppend('/tmp/x.ndjson'); await raw.append(Buffer.from('{"uid":"a"}\n'))` -> `1`.
 */
export async function openRawAppend(path: string): Promise<RawAppend> {
  const file: FileHandle = await open(path, 'a');
  return {
    async append(ndjson) {
      const text = ndjson.toString('utf8');
      let events = 0;
      for (let start = 0; start < text.length;) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        if (end > start) {
          const value: unknown = JSON.parse(text.slice(start, end));
          if (typeof value === 'object' && value !== null) events++;
        }
        start = end + 1;
      }
      await file.write(ndjson);
      await file.datasync();
      return events;
    },
    close: () => file.close(),
  };
}
