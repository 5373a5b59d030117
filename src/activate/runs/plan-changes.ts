import { deltaOf } from '../../core/activation/index.ts';
import type { Member } from './collect-members.ts';
import type { MemberMap } from './member-state.ts';

/** One change sent to a destination, sorted by ID. Example: `{ action: 'remove', id: 'c-9' }` */
export type MemberChange = { action: 'add'; id: string; member: Member } | { action: 'remove'; id: string };

/**
 * What a run sends, with its counts. Example: `{ changes: [...], added: 3, updated: 1, removed: 2, unchanged: 40 }`
 */
export interface ChangePlan {
  changes: MemberChange[];
  /** members new since the base */
  added: number;
  /** members whose segments changed (sent again as `add`, with every segment they are in now) */
  updated: number;
  removed: number;
  /** members the partner already holds as they are (delta only) */
  unchanged: number;
}

/**
 * The changes of a run, sorted by ID: `full` adds every member; `delta` adds the members new since
 * `base` or whose segment IDs changed, and removes those no longer members.
 *
 * Example: `planChanges('delta', new Map([['a', ['1']]]), [{ id: 'b', segments: ['s'], segmentIds: ['1'] }])`
 * -> adds b, removes a
 */
export function planChanges(mode: 'full' | 'delta', base: MemberMap, members: readonly Member[]): ChangePlan {
  if (mode === 'full') {
    const changes = members.map((member): MemberChange => ({ action: 'add', id: member.id, member }));
    return { changes, added: members.length, updated: 0, removed: 0, unchanged: 0 };
  }
  const previous = [...base.keys()].sort();
  const delta = deltaOf(
    previous,
    members.map((m) => m.id),
  );
  const added = new Set(delta.added);
  const changes: MemberChange[] = delta.removed.map((id) => ({ action: 'remove', id }));
  let updated = 0;
  let unchanged = 0;
  for (const member of members) {
    if (added.has(member.id)) {
      changes.push({ action: 'add', id: member.id, member });
    } else if (!sameIds(base.get(member.id) ?? [], member.segmentIds)) {
      updated++;
      changes.push({ action: 'add', id: member.id, member });
    } else {
      unchanged++;
    }
  }
  changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { changes, added: added.size, updated, removed: delta.removed.length, unchanged };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
