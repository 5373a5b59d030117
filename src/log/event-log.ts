import type { CollectedEvent } from '../core/event.ts';
import type { OnboardRecord } from '../core/onboard/onboard-record.ts';
import type { DemoRecord } from '../core/demo-record.ts';
import type { ConsentRecord } from '../core/consent-record.ts';
import type { IdentityLimitsRecord } from '../core/identity/identity-limits-record.ts';
import type { IdLinksRecord } from '../core/identity/id-links-record.ts';

/** One entry of the log. Everything that changes profiles flows through it, in order. */
export type LogRecord =
  | { kind: 'event'; tenant: string; event: CollectedEvent }
  /**
   * a deletion request: the profile with this primary ID (and other `ids`) and every trace of it. The
   * privacy service then erases the visitor's events and this record itself; one still found at start
   * (a crash came between) is finished then, so no ID stays in the log in clear. `more` lists the
   * visitor's further IDs, `[type, value]`, where it holds several of one type (a merged profile's
   * second cookie or device ID), so that their events are erased too.
   */
  | { kind: 'delete'; tenant: string; uid: string; ids?: Record<string, string>; more?: [string, string][] }
  /**
   * a tombstone left by `erase` in place of a record, under the same seq (so seqs stay consecutive).
   * It keeps only the tenant; consumers ignore it.
   */
  | { kind: 'erased'; tenant: string }
  /** a durable chunk of a file onboarding job: rows of IDs and traits (ADR 13, `src/onboard`) */
  | OnboardRecord
  /** one day of the standard data set, drawn again from the generator's options when applied (ADR 0016) */
  | DemoRecord
  /** a known visitor's consent signal whose event was not stored (a withdrawal): state, not an event */
  | ConsentRecord
  /** a tenant's ID caps from here on (its identity settings changed): linking reads them in log order */
  | IdentityLimitsRecord
  /** rows of an ID-link file (`POST /v1/identity/links`), each asserting its IDs are one visitor */
  | IdLinksRecord;

/**
 * Says what `erase` does with a record (`seq` is its sequence number): `false` keeps it, `true` replaces
 * it by a tombstone, and a record replaces it by that record under the same seq (how one visitor's rows
 * are taken out of an `onboard` record that holds many visitors). It must be pure, the same answer for
 * the same record: an adapter may ask about a record more than once (the file log reads the active
 * segment once to see whether it holds anything to drop, and again to rewrite it after sealing it).
 *
 * Example: `const drop: EraseFilter = (record, seq) => record.kind === 'event' && record.event.uid === 'c-1' && seq < 900;`
 */
export type EraseFilter = (record: LogRecord, seq: number) => boolean | LogRecord;

/** What an `erase` did: records replaced by tombstones, and segment files rewritten to do it. */
export interface EraseResult {
  erased: number;
  segmentsRewritten: number;
}

/**
 * The durable, ordered event log. Records get consecutive sequence numbers starting at 1. Every adapter
 * passes the contract suite `test/contracts/event-log.contract.ts` (the file log, the in-memory fake of
 * `testing/`); ADR 0026 says which adapter comes next and what of this port cannot stay synchronous.
 *
 * Example:
 * ```ts
 * const last = await log.append([{ kind: 'event', tenant: 't1', event }]); // durable when resolved
 * await log.replay(1, (seq, record) => apply(record));
 * await log.erase(visitorMatcher('t1', 'c-123', {}, { beforeSeq: last })); // privacy: drop raw events
 * ```
 */
export interface EventLog {
  /**
   * Appends the records and resolves with the sequence number of the last one, only after they are
   * durably on disk (group commit: many concurrent appends share one fdatasync). The records of one
   * append get consecutive seqs (the first is `last - records.length + 1`); an empty append resolves
   * with `lastSeq()`. A record is stored as it was when `append` was called.
   * Rejects if the log is closed (`LogClosedError`) or the write fails; then none of them was acknowledged.
   */
  append(records: readonly LogRecord[]): Promise<number>;
  /**
   * Calls `onRecord` for every record with `seq >= fromSeq`, in order, with the time it was appended
   * (epoch ms, one value per group commit), then resolves. Records erased by `erase` come as
   * `{ kind: 'erased' }` tombstones, so the seqs stay consecutive. It delivers what was durable when it
   * started, not records appended while it runs.
   */
  replay(
    fromSeq: number,
    onRecord: (seq: number, record: LogRecord, appendedAt: number) => void,
  ): Promise<void>;
  /** The sequence number of the last durable record (0 when empty). */
  lastSeq(): number;
  /**
   * Drops whole stored files whose records were all appended before `cutoffMs`, oldest first, so that
   * what is left is one unbroken run of seqs; never a record appended at or after it. Returns records
   * dropped. Seqs are not reused: `lastSeq()` stays.
   */
  dropOlderThan(cutoffMs: number): Promise<number>;
  /**
   * Replaces every stored record for which `drop` is true (among those durable when the call starts;
   * tombstones are not offered again) by a tombstone with the same seq and append time, and every record
   * for which it returns a record by that record, durably, in every stored file. `erased` counts both.
   * Appends go on meanwhile. Resolves when no dropped record is left on disk.
   * Rejects with `LogClosedError` once the log is closed.
   */
  erase(drop: EraseFilter): Promise<EraseResult>;
  /** Flushes what is pending and closes the files. */
  close(): Promise<void>;
}
