import type { EraseFilter, EraseResult, EventLog, LogRecord } from '../event-log.ts';
import { LogClosedError } from '../log-errors.ts';

/** Options of `createMemoryEventLog`. */
export interface MemoryEventLogOptions {
  /** the clock stamped on records as `appendedAt` (default `Date.now`) */
  now?: () => number;
}

/** A stored record: its JSON as written at append time, so that later changes by the caller are not kept. */
interface Entry {
  json: string;
  appendedAt: number;
}

/**
 * An `EventLog` in memory, for service tests that need a log but not a disk: no directory, no fsync,
 * an append is acknowledged on the next microtask. It passes the same contract suite as the file log
 * (`test/contracts/event-log.contract.test.ts`) except durability across a reopen: nothing outlives the
 * object. Retention drops single records (the file log drops whole segment files); `erase` rewrites no
 * files (`segmentsRewritten` is 0). Test code only: production code may not import `testing/`.
 *
 * Example:
 * ```ts
 * const log = createMemoryEventLog({ now: () => clock.now() });
 * const seq = await log.append([{ kind: 'delete', tenant: 't1', uid: 'c-1' }]); // 1
 * await log.replay(1, (seq, record) => apply(record));
 * ```
 */
export function createMemoryEventLog(options: MemoryEventLogOptions = {}): EventLog {
  const now = options.now ?? Date.now;
  /** entries[i] holds seq `first + i` */
  const entries: Entry[] = [];
  let first = 1;
  let closed = false;
  const lastSeq = (): number => first + entries.length - 1;

  return {
    async append(records: readonly LogRecord[]): Promise<number> {
      if (closed) throw new LogClosedError();
      const appendedAt = now();
      const json = records.map((record) => JSON.stringify(record));
      for (const text of json) entries.push({ json: text, appendedAt });
      return lastSeq();
    },

    async replay(fromSeq, onRecord): Promise<void> {
      const until = lastSeq();
      for (let seq = Math.max(fromSeq, first); seq <= until; seq++) {
        const entry = entries[seq - first];
        // a record dropped by retention while the replay ran is not delivered
        if (entry === undefined) continue;
        onRecord(seq, JSON.parse(entry.json) as LogRecord, entry.appendedAt);
      }
    },

    lastSeq,

    async dropOlderThan(cutoffMs: number): Promise<number> {
      let dropped = 0;
      while (dropped < entries.length && (entries[dropped]?.appendedAt ?? Infinity) < cutoffMs) dropped++;
      entries.splice(0, dropped);
      first += dropped;
      return dropped;
    },

    async erase(drop: EraseFilter): Promise<EraseResult> {
      if (closed) throw new LogClosedError();
      const until = lastSeq();
      let erased = 0;
      for (let seq = first; seq <= until; seq++) {
        const entry = entries[seq - first];
        if (entry === undefined) continue;
        const record = JSON.parse(entry.json) as LogRecord;
        if (record.kind === 'erased') continue;
        const verdict = drop(record, seq);
        if (verdict === false) continue;
        const replacement: LogRecord = verdict === true ? { kind: 'erased', tenant: record.tenant } : verdict;
        entry.json = JSON.stringify(replacement);
        erased++;
      }
      return { erased, segmentsRewritten: 0 };
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
