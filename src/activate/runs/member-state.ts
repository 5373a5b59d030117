import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RunStateStore } from './run-state-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Members of a destination: its ID for the visitor -> the destination's segment IDs. Example: `{ 'c-1': ['483'] }` */
export type MemberMap = Map<string, readonly string[]>;

interface StateFile {
  version: 1;
  runId: string;
  members: [string, string[]][];
  /**
   * IDs of deleted visitors the partner still holds: kept (with no segment) only until the next good
   * run, which sends them as removed; never copied into `previous.json.gz`
   */
  erased?: string[];
}

/**
 * The member set of a destination's last good run, kept for delta runs in `state.json.gz` (and the one
 * before it in `previous.json.gz`, so that a re-run of the last good run's ID is based on what came
 * before it and rewrites the same files), in the run state store (`run-state-store.ts`). Both are
 * written atomically.
 *
 * Example:
 * ```ts
 * const state = new MemberState(runStateFolder('/data'), 't1', 'ttd');
 * const base = await state.base('run-2');   // the members the partner holds before run-2
 * await state.commit('run-2', members);     // after run-2 succeeded
 * ```
 */
export class MemberState {
  constructor(
    private readonly store: RunStateStore,
    private readonly tenant: string,
    private readonly destination: string,
  ) {}

  /** The members before run `runId`, with the run they came from (none: empty, every member is added). */
  async base(runId: string): Promise<{ runId?: string; members: MemberMap }> {
    const state = await this.read('state.json.gz');
    const base = state?.runId === runId ? await this.read('previous.json.gz') : state;
    if (base === undefined) return { members: new Map() };
    const members: MemberMap = new Map(base.members);
    // a deleted visitor is in the base with no segment: a delta run sends it as removed
    for (const id of base.erased ?? []) members.set(id, []);
    return { runId: base.runId, members };
  }

  /** Records the members of a good run; the state it replaces becomes `previous.json.gz`. */
  async commit(runId: string, members: MemberMap): Promise<void> {
    const before = await this.readBytes('state.json.gz');
    const current = before === undefined ? undefined : await parse(before);
    if (current !== undefined && current.runId !== runId) {
      // the removals of deleted visitors were sent by this run: the previous state does not keep them
      const { erased: _erased, ...kept } = current;
      const bytes =
        current.erased === undefined && before !== undefined ? before : await gzipAsync(JSON.stringify(kept));
      await this.write('previous.json.gz', bytes);
    }
    const ids = [...members.keys()].sort();
    const file: StateFile = {
      version: 1,
      runId,
      members: ids.map((id) => [id, [...(members.get(id) ?? [])]]),
    };
    await this.write('state.json.gz', await gzipAsync(JSON.stringify(file)));
  }

  /**
   * Takes deleted visitors' IDs out of both state files (atomically, each): `previous.json.gz` loses
   * them; `state.json.gz` keeps a member's ID alone in `erased`, so that the next delta run tells the
   * partner to remove it (and forgets it then). Resolves the number of entries taken out.
   *
   * Example: `await state.erase(new Set(['c-123', '6d92078a']))` -> 2
   */
  async erase(ids: ReadonlySet<string>): Promise<number> {
    let count = 0;
    for (const name of ['previous.json.gz', 'state.json.gz']) {
      const state = await this.read(name);
      if (state === undefined) continue;
      const members = state.members.filter(([id]) => !ids.has(id));
      const gone = state.members.length - members.length;
      if (gone === 0) continue;
      count += gone;
      const file: StateFile = { ...state, members };
      if (name === 'state.json.gz') {
        const erased = new Set([
          ...(state.erased ?? []),
          ...state.members.map(([id]) => id).filter((id) => ids.has(id)),
        ]);
        file.erased = [...erased].sort();
      }
      await this.write(name, await gzipAsync(JSON.stringify(file)));
    }
    return count;
  }

  private async read(name: string): Promise<StateFile | undefined> {
    const bytes = await this.readBytes(name);
    return bytes === undefined ? undefined : parse(bytes);
  }

  private readBytes(name: string): Promise<Buffer | undefined> {
    return this.store.read(this.tenant, this.destination, name);
  }

  private write(name: string, bytes: Uint8Array): Promise<void> {
    return this.store.write(this.tenant, this.destination, name, bytes);
  }
}

/**
 * Takes deleted visitors' IDs out of the member state of every destination of `tenant` (`MemberState.erase`,
 * one destination after the other). Privacy's deletion calls it through its `eraseMemberStates` port,
 * which the composition root fills. Resolves the number of entries taken out.
 *
 * Example: `await eraseMemberStates(runStateFolder('/data'), 'acme', new Set(['c-123']))` -> 1
 */
export async function eraseMemberStates(
  store: RunStateStore,
  tenant: string,
  ids: ReadonlySet<string>,
): Promise<number> {
  let count = 0;
  for (const destination of await store.destinations(tenant))
    count += await new MemberState(store, tenant, destination).erase(ids);
  return count;
}

async function parse(bytes: Buffer): Promise<StateFile> {
  const json: unknown = JSON.parse((await gunzipAsync(bytes)).toString('utf8'));
  if (!isStateFile(json)) throw new Error('the activation state file is not readable: version 1 expected');
  return json;
}

function isStateFile(json: unknown): json is StateFile {
  if (typeof json !== 'object' || json === null) return false;
  const o = json as Record<string, unknown>;
  return o.version === 1 && typeof o.runId === 'string' && Array.isArray(o.members);
}
