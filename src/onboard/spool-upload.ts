import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServiceError } from '../core/service-error.ts';

/**
 * Streams an uploaded body to `path` (never holding it in memory) and fsyncs it; resolves with its size.
 * A body larger than `maxBytes` is refused with a 413 (the partial file is left for the caller to delete).
 *
 * Example: `const bytes = await spoolUpload(request.body, '/data/onboarding/5f0c.../upload', 4 << 30);`
 */
export async function spoolUpload(body: Readable, path: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(
          new ServiceError(
            413,
            'file_too_large',
            `the file is larger than ${maxBytes} bytes: split it into several uploads (mode=delta)`,
          ),
        );
      } else done(null, chunk);
    },
  });
  await pipeline(body, limit, createWriteStream(path, { flags: 'wx' }));
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return bytes;
}
