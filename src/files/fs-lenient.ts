import { readFile, readdir } from 'node:fs/promises';

/**
 * Lenient reads of the files a deletion walks. The names in a folder, or none when it does not exist (the
 * erasers walk folders that a tenant may never have made). Other errors are thrown. Example: `await listDir(join(dataDir, 'exports'))` -> `['acme']`.
 */
export async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR'))
      return [];
    throw error;
  }
}

/**
 * A JSON file's content, or `undefined` when it is missing or not JSON (a file being written, or one that
 * is not ours): the erasers pass such files over. Example: `await readJson<Manifest>(path)`.
 */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
