import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-file.ts';
import { listDir } from '../../files/fs-lenient.ts';

/**
 * Where the member state of each destination's last good runs is kept (`member-state.ts`): small named
 * files per tenant and destination. The embedded server keeps them in its data folder
 * (`runStateFolder`); the API servers of a scaled-out deployment share one Object Store bucket
 * (`scale/run-state-bucket.ts`), so that a delta run on one is based on a run made on another. The
 * contract suite both pass is `test/contracts/run-state-store.contract.ts`.
 *
 * Example:
 * ```ts
 * const store = runStateFolder('/data');
 * await store.write('acme', 'crm', 'state.json.gz', bytes);
 * await store.read('acme', 'crm', 'state.json.gz'); // the bytes; undefined if never written
 * await store.destinations('acme'); // ['crm']
 * ```
 */
export interface RunStateStore {
  /** The file's bytes, or undefined when it was never written. */
  read(tenant: string, destination: string, name: string): Promise<Buffer | undefined>;
  /** Replaces the file, whole or not at all (a crash leaves the old bytes or the new). */
  write(tenant: string, destination: string, name: string, bytes: Uint8Array): Promise<void>;
  /** The tenant's destinations with a file kept, in any order. */
  destinations(tenant: string): Promise<string[]>;
  close?(): Promise<void>;
}

/**
 * The run state in the data folder: `DATA/activation/<tenant>/<destination>/<name>`, each file
 * written atomically.
 *
 * Example: `const store = runStateFolder(config.dataDir);`
 */
export function runStateFolder(dataDir: string): RunStateStore {
  const root = join(dataDir, 'activation');
  return {
    async read(tenant, destination, name) {
      try {
        return await readFile(join(root, tenant, destination, name));
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(tenant, destination, name, bytes) {
      const dir = join(root, tenant, destination);
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(join(dir, name), bytes);
    },
    destinations: (tenant) => listDir(join(root, tenant)),
  };
}
