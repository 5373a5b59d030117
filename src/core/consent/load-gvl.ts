import { readFile } from 'node:fs/promises';
import { parseGvl } from './parse-gvl.ts';
import type { GvlResult } from './parse-gvl.ts';

/**
 * Reads a Global Vendor List JSON file and checks it with `parseGvl`: the one I/O function of the
 * consent core. A missing file or bad JSON is a `{ ok: false, reason }` value, like a bad shape.
 *
 * Example:
 * ```ts
 * const loaded = await loadGvl('assets/consent/gvl-v3-tcf22-vendor-list.json');
 * if (loaded.ok) loaded.gvl.vendors.size; // 376
 * ```
 */
export async function loadGvl(path: string): Promise<GvlResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, reason: `cannot read ${path}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${path} is not JSON: ${(error as Error).message}` };
  }
  const parsed = parseGvl(json);
  return parsed.ok ? parsed : { ok: false, reason: `${path}: ${parsed.reason}` };
}
