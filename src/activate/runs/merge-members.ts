import type { Destination, FunnelReport } from '../../core/activation/index.ts';
import { Funnel } from '../../core/activation/index.ts';
import type { CollectedMembers, Member } from './collect-members.ts';
import { addMember, loseDuplicates, sortedMembers } from './collect-members.ts';

/**
 * One partition's part of a destination's members, as a worker sends it to the API server doing the
 * run (`collectMembers` over the partition's profiles, its funnel as a report).
 *
 * Example: `{ members: [{ id: 'c-1', segments: ['fans'], segmentIds: ['483'] }], funnel, visited: 12 }`
 */
export interface MembersPart {
  members: Member[];
  funnel: FunnelReport;
  visited: number;
}

/**
 * Every partition's members as one engine holding every profile would collect them: the funnels
 * added up, the profiles read added up, and the members by ID, where an ID two partitions both have
 * (one visitor's ID seen with two uids) is one member with the segments of both, the second profile
 * lost at `sent` as within one partition.
 *
 * Example: `mergeCollected([partA, partB], destination).members` -> sorted by ID, each ID once
 */
export function mergeCollected(parts: readonly MembersPart[], destination: Destination): CollectedMembers {
  const funnel = new Funnel();
  const byId = new Map<string, Member>();
  let visited = 0;
  let duplicates = 0;
  for (const part of parts) {
    funnel.add(part.funnel);
    visited += part.visited;
    for (const member of part.members) if (!addMember(byId, member)) duplicates++;
  }
  loseDuplicates(funnel, destination, duplicates);
  return { members: sortedMembers(byId), funnel, visited };
}
