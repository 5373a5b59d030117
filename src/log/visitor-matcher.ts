import type { EraseFilter } from './event-log.ts';
import { RowsBuilder, decodeRows, encodeRows } from '../core/onboard/index.ts';
import { demoProfileOf } from '../core/demo-uid.ts';

/** Options of `visitorMatcher`. */
export interface VisitorMatcherOptions {
  /**
   * match only records before this seq, usually the seq of the visitor's `delete` record: events the
   * visitor sent after the deletion belong to the new profile and stay
   */
  beforeSeq?: number;
  /** further IDs of the visitor, `[type, value]`, beside `uid` and `ids` (several of one type after a merge) */
  more?: readonly (readonly [string, string])[];
}

/**
 * The `erase` filter for one visitor's raw events in `tenant`: event records whose `uid` is `uid`, or
 * which carry one of the visitor's other IDs (`ids`, same type and value), and the visitor's rows of
 * onboarded files (an `onboard` record is rewritten without them; its other rows stay), and a generated
 * visitor of the standard data set (a `demo` record is rewritten to leave out its number), the rows of
 * ID-link files naming any of its IDs (a `links` record is rewritten without them; one left empty is
 * tombstoned), and the visitor's `consent` records (a withdrawal kept as state names the visitor too). `delete` records are not
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
  const otherIds: (readonly [string, string])[] = [...Object.entries(ids), ...(options.more ?? [])].filter(
    ([, value]) => value !== '',
  );
  const isVisitor = (type: string, value: string): boolean =>
    (type === 'uid' && uid !== '' && value === uid) || otherIds.some(([t, v]) => t === type && v === value);
  return (record, seq) => {
    if (record.tenant !== tenant || !(seq < beforeSeq)) return false;
    if (record.kind === 'onboard') {
      const rows = decodeRows(record.rows);
      const kept = new RowsBuilder();
      for (let i = 0; i < rows.count; i++) {
        if (isVisitor(rows.types[i] ?? '', rows.ids[i] ?? '')) continue;
        kept.begin(rows.types[i] ?? '', rows.ids[i] ?? '', rows.times[i] ?? NaN);
        for (let k = rows.start[i] ?? 0; k < (rows.start[i + 1] ?? 0); k++) kept.trait(rows.traits[k] ?? 0);
        kept.commit();
      }
      return kept.rows().count === rows.count ? false : { ...record, rows: encodeRows(kept.rows()) };
    }
    if (record.kind === 'demo') {
      const n = demoProfileOf(record.spec.seed >>> 0, record.spec.profiles, uid);
      if (n === undefined || record.except?.includes(n) === true) return false;
      return { ...record, except: [...(record.except ?? []), n].sort((a, b) => a - b) };
    }
    if (record.kind === 'links') {
      // a row names the visitor by any of its IDs: it asserts they are one visitor, so all of it goes
      const kept = record.rows.filter((row) => !row.some(([type, value]) => isVisitor(type, value)));
      if (kept.length === record.rows.length) return false;
      return kept.length === 0 ? true : { ...record, rows: kept };
    }
    if (record.kind === 'consent') {
      if (uid !== '' && record.uid === uid) return true;
      return otherIds.some(([type, value]) => (type === 'uid' ? record.uid : record.ids?.[type]) === value);
    }
    if (record.kind !== 'event') return false;
    const event = record.event;
    if (uid !== '' && event.uid === uid) return true;
    // a merged visitor's further cookies (`['uid', value]` in `more`) match the event's own uid
    return otherIds.some(([type, value]) => (type === 'uid' ? event.uid : event.ids[type]) === value);
  };
}
