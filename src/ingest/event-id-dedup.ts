import type { CollectedEvent } from '../core/event.ts';
import { DAY_MS } from '../core/clock.ts';
import type { LogRecord } from '../log/event-log.ts';
import type { PartToWrite, SnapshotPart } from '../profiles/profile-store.ts';
import type { SnapshotCompanion } from '../snapshot/snapshots.ts';
import { readEventIds, writeEventIds } from './event-ids-part.ts';

/** The shortest deduplication window, and the default: the public API promises at least 7 days. */
export const MIN_DEDUP_WINDOW_MS = 7 * DAY_MS;

/** A reservation of IDs by a request whose events are not yet stored: others wait for its outcome. */
interface Pending {
  readonly settled: Promise<void>;
}

/** An accepted ID's arrival time (epoch ms), or the reservation of a request in flight. */
type Entry = number | Pending;

/** What `claim` leaves a request: the events to go on with, and the duplicates acknowledged again. */
export interface Claim {
  /** events without an ID, and events whose ID is now reserved for this request, in order */
  fresh: CollectedEvent[];
  /** events whose ID was accepted before, or came earlier in the same batch */
  duplicates: number;
  /**
   * Ends the reservation: IDs that `accept` has not turned into acceptances (the event was dropped, or
   * the append failed) are given back, and requests waiting on them go on. Call it once, in a `finally`.
   */
  release(): void;
}

const NO_RESERVATION: Pick<Claim, 'release'> = { release: () => {} };

/**
 * The event IDs of each tenant accepted within the deduplication window, so that a retried event is
 * acknowledged again instead of applied twice (docs/api.md: "Events may carry an ID").
 *
 * Times are arrival times (epoch ms): the service clock when an event is accepted live, the log's
 * `appendedAt` when it is replayed; never the event's own `ts`, which a client may set days back. An ID is
 * forgotten once the newest arrival seen is more than `windowMs` after it, so memory holds one window of
 * IDs. Entries sit in a `Map` in arrival order, so forgetting only looks at the oldest ones.
 *
 * Example:
 * ```ts
 * const ids = new EventIdDedup(7 * DAY_MS);
 * const claim = ids.claimNow('t1', events, now) ?? (await ids.claim('t1', events, now));
 * try { await append(claim.fresh); for (const e of claim.fresh) ids.accept('t1', e.id, now); }
 * finally { claim.release(); }
 * ```
 */
export class EventIdDedup implements SnapshotCompanion {
  readonly prefix = EVENT_IDS_PART;
  private readonly tenants = new Map<string, Map<string, Entry>>();

  constructor(readonly windowMs: number = MIN_DEDUP_WINDOW_MS) {}

  /**
   * Splits `events` into fresh ones (IDs reserved now) and duplicates, synchronously; `undefined` when an
   * ID is reserved by another request in flight (a concurrent retry), whose outcome `claim` waits for.
   */
  claimNow(tenant: string, events: readonly CollectedEvent[], now: number): Claim | undefined {
    if (!events.some((e) => e.id !== undefined))
      return { fresh: [...events], duplicates: 0, ...NO_RESERVATION };
    const seen = this.seenOf(tenant);
    const cutoff = now - this.windowMs;
    this.forgetBefore(seen, cutoff);
    if (this.waitFor(seen, events) !== undefined) return undefined;
    let settle = (): void => {};
    const pending: Pending = { settled: new Promise<void>((resolve) => (settle = resolve)) };
    const mine: string[] = [];
    const fresh: CollectedEvent[] = [];
    let duplicates = 0;
    for (const event of events) {
      const id = event.id;
      const entry = id === undefined ? undefined : seen.get(id);
      if (id === undefined) fresh.push(event);
      // an acceptance older than the window (left behind a reservation by `forgetBefore`) is forgotten
      else if (entry !== undefined && (typeof entry !== 'number' || entry >= cutoff)) duplicates++;
      else {
        seen.delete(id);
        seen.set(id, pending);
        mine.push(id);
        fresh.push(event);
      }
    }
    const release = (): void => {
      for (const id of mine) if (seen.get(id) === pending) seen.delete(id);
      settle();
    };
    return { fresh, duplicates, release };
  }

  /**
   * `claimNow`, after waiting for the requests that hold some of the IDs: once they are stored or given
   * back, each is a duplicate or fresh. Waiting holds no reservation, so two batches never wait on each other.
   */
  async claim(tenant: string, events: readonly CollectedEvent[], now: number): Promise<Claim> {
    for (;;) {
      const claim = this.claimNow(tenant, events, now);
      if (claim !== undefined) return claim;
      await this.waitFor(this.seenOf(tenant), events);
    }
  }

  /** Records `id` as accepted at `at` (epoch ms): it is a duplicate from now on, until the window passes. */
  accept(tenant: string, id: string, at: number): void {
    const seen = this.seenOf(tenant);
    const entry = seen.get(id);
    // a reserved entry keeps its place (it was reserved moments ago); an older acceptance moves to the end
    if (typeof entry === 'number') seen.delete(id);
    seen.set(id, at);
  }

  /**
   * A log record replayed at start: an event's ID counts as accepted at the record's `appendedAt`.
   * Example: `await log.replay(fromSeq, (seq, record, at) => { apply(seq, record); ids.replayed(record, at); })`.
   */
  replayed(record: LogRecord, appendedAt: number): void {
    if (record.kind !== 'event' || record.event.id === undefined) return;
    const seen = this.seenOf(record.tenant);
    this.forgetBefore(seen, appendedAt - this.windowMs);
    this.accept(record.tenant, record.event.id, appendedAt);
  }

  /**
   * Whether a record is an event whose ID was accepted within the window before `appendedAt`: a retry
   * that two collectors of a scaled-out deployment both stored (ADR 0035), which a worker applies once.
   * Example: `if (!ids.isRepeat(record, at)) qualify.apply(seq, record); ids.replayed(record, at);`
   */
  isRepeat(record: LogRecord, appendedAt: number): boolean {
    if (record.kind !== 'event' || record.event.id === undefined) return false;
    const entry = this.tenants.get(record.tenant)?.get(record.event.id);
    return typeof entry === 'number' && entry >= appendedAt - this.windowMs;
  }

  /** How many IDs are remembered (accepted or reserved) for the tenant. */
  size(tenant: string): number {
    return this.tenants.get(tenant)?.size ?? 0;
  }

  /** The tenant's accepted IDs as one snapshot part (`event-ids`), streamed; none when it has none. */
  snapshotParts(tenant: string): PartToWrite[] {
    const seen = this.tenants.get(tenant);
    if (seen === undefined || seen.size === 0) return [];
    const accepted = function* (): Iterable<[string, number]> {
      for (const [id, entry] of seen) if (typeof entry === 'number') yield [id, entry];
    };
    return [{ name: EVENT_IDS_PART, pieces: () => writeEventIds(accepted()) }];
  }

  /** Restores what `snapshotParts` wrote (before the log after the snapshot is replayed). */
  restore(tenant: string, parts: readonly SnapshotPart[]): void {
    const seen = new Map<string, Entry>();
    for (const part of parts) if (part.name === EVENT_IDS_PART) readEventIds(part.bytes, seen);
    this.tenants.set(tenant, seen);
  }

  /** Forgets the tenant's IDs (its snapshot could not be restored after all). */
  drop(tenant: string): void {
    this.tenants.delete(tenant);
  }

  private seenOf(tenant: string): Map<string, Entry> {
    let seen = this.tenants.get(tenant);
    if (seen === undefined) {
      seen = new Map();
      this.tenants.set(tenant, seen);
    }
    return seen;
  }

  /** Settles when every request that holds one of the events' IDs has finished; undefined when none does. */
  private waitFor(seen: Map<string, Entry>, events: readonly CollectedEvent[]): Promise<unknown> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const event of events) {
      const entry = event.id === undefined ? undefined : seen.get(event.id);
      if (entry !== undefined && typeof entry !== 'number') (waits ??= []).push(entry.settled);
    }
    return waits === undefined ? undefined : Promise.all(waits);
  }

  /** Drops the accepted IDs that arrived before `cutoff`, oldest first; stops at a reservation. */
  private forgetBefore(seen: Map<string, Entry>, cutoff: number): void {
    for (const [id, entry] of seen) {
      if (typeof entry !== 'number' || entry >= cutoff) return;
      seen.delete(id);
    }
  }
}

/** The name of the snapshot part that holds a tenant's accepted event IDs. */
export const EVENT_IDS_PART = 'event-ids';
