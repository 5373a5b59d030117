import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that a crash leaves either the old file or the new one, never a part: the data goes
 * to a temp name beside it (ending `.tmp`), is fsynced, renamed over the target, and the folder fsynced.
 *
 * Example: `await writeFileAtomic('/data/exports/t1/ttd/r1/manifest.json', JSON.stringify(manifest));`
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncDir(dirname(path));
}

/**
 * Fsyncs a folder, so that a rename or unlink in it survives a power loss.
 *
 * Example: `await syncDir('/data/exports/t1/ttd/r1');`
 */
export async function syncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
