import type { EraseFilter } from './event-log.ts';

/** Options of `visitorMatcher`. */
export interface VisitorMatcherOptions {
  /**
   * match only records before this seq, usually the seq of the visitor's `delete` record: events the
   * visitor sent after the deletion belong to the new profile and stay
   */
  beforeSeq?: number;
}

/**
 * The `erase` filter for one visitor's raw events in `tenant`: event records whose `uid` is `uid`, or
 * which carry one of the visitor's other IDs (`ids`, same type and value). `delete` records are not
 * matched: the one with this uid stays as the proof of deletion (it holds no event data) and so that a
 * replay of what is left still removes the profile.
 *
 * Example:
 * ```ts
 * const seq = await log.append([{ kind: 'delete', tenant: 't1', uid: 'c-123' }]);
 * await log.erase(visitorMatcher('t1', 'c-123', { maid: '6d92078a' }, { beforeSeq: seq }));
 * ```
 */
export function visitorMatcher(
  tenant: string,
  uid: string,
  ids: Readonly<Record<string, string>>,
  options: VisitorMatcherOptions = {},
): EraseFilter {
  const beforeSeq = options.beforeSeq ?? Infinity;
  const otherIds = Object.entries(ids).filter(([, value]) => value !== '');
  return (record, seq) => {
    if (record.kind !== 'event' || record.tenant !== tenant || !(seq < beforeSeq)) return false;
    const event = record.event;
    if (uid !== '' && event.uid === uid) return true;
    return otherIds.some(([type, value]) => event.ids[type] === value);
  };
}
