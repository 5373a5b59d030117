import type { CollectedEvent } from '../core/event.ts';
import type { Clock } from '../core/clock.ts';
import { MINUTE_MS } from '../core/clock.ts';
import { ServiceError } from '../core/service-error.ts';
import type { EventLog, LogRecord } from '../log/event-log.ts';
import type { ProfileReader, RecordApplier, RuleReader } from '../qualify/ports.ts';
import type { CollectLimits, Enricher, ParsedBody, Rejection } from '../collect/index.ts';
import { validateBatch } from '../collect/index.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';
import { EventIdDedup } from './event-id-dedup.ts';
import { EventRate } from './event-rate.ts';
import { AppendPace, recordWeight } from './append-pace.ts';
import { consentRecords } from '../privacy/consent-withdrawals.ts';

/** Where a batch came from: decides what an event may carry and fills what it leaves out. */
export interface IngestSource {
  /** server-to-server with the API key: events may carry `geo` and `device` */
  trusted: boolean;
  ip?: string;
  ua?: string;
  gpc?: boolean;
  /** the browser carries the opt-out cookie */
  optOutCookie?: boolean;
}

export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
  /** good events not stored because the visitor's consent does not allow it, or the visitor opted out */
  dropped: { consent: number; optOut: number };
  /** good events whose `id` was already accepted (a retry): acknowledged again, not stored again */
  duplicates: number;
  /** the events as stored (after enrichment), in order */
  events: CollectedEvent[];
}

export interface IngestOptions {
  limits: CollectLimits;
  enrich: Enricher;
  /** how far in the future an event's time may be (clock skew) */
  maxFutureMs?: number;
  /** events held in memory waiting for the disk before the collector answers 503 */
  maxInFlight?: number;
  /** consent and opt-out decisions */
  gate: ConsentGate;
  /** the event IDs accepted lately (default: a new, empty set with the 7-day window) */
  eventIds?: EventIdDedup;
  /** a collection request that would wait longer than this for the disk is answered 503 at once (0: never) */
  maxWaitMs?: number;
  /** counts accepted events per tenant for the dashboard's events per second (default: a new one) */
  rate?: EventRate;
  /**
   * scale-out (ADR 0035): appended records are applied by the process's follower of the stream, not
   * here; resolves once the record under this seq is applied (at once in a front with no profiles)
   */
  appliedElsewhere?: (seq: number) => Promise<void>;
  /**
   * the profiles are held elsewhere (a scale-out collector): a refused event's uid may name a known
   * visitor, so it gets a uid-only `consent` record, which the visitor's engine applies if it knows the
   * uid and drops otherwise
   */
  profilesElsewhere?: boolean;
}

/** A collector's view of who may be known: any uid (its engine decides), no other ID. */
const ANY_UID_MAY_BE_KNOWN = { find: (type: string) => (type === 'uid' ? 0 : undefined) };

/**
 * The collection pipeline after the HTTP edge: validate and enrich each event on its own, drop those
 * whose visitor opted out or gave no consent to be stored, leave out retries (an `id` accepted within
 * the deduplication window: counted as duplicates), append the rest to the log (acknowledged only once
 * durable), then qualify them. Bad events become rejections with their index and reason; the good ones
 * beside them are kept. A batch that would wait longer than `maxWaitMs` for the disk is refused (503).
 *
 * Example: `await ingest.ingest('t1', [{ uid: 'c-1', url: 'https://x.example/pricing' }], { trusted: true })`.
 */
export class IngestService {
  private inFlight = 0;
  private readonly pace = new AppendPace();
  /** the event IDs accepted within the deduplication window */
  readonly eventIds: EventIdDedup;
  /** events accepted per tenant over the last minute (`GET /v1/dashboard`) */
  readonly rate: EventRate;

  constructor(
    private readonly log: EventLog,
    private readonly qualify: RuleReader & ProfileReader & RecordApplier,
    private readonly clock: Clock,
    private readonly options: IngestOptions,
  ) {
    this.eventIds = options.eventIds ?? new EventIdDedup();
    this.rate = options.rate ?? new EventRate();
  }

  /** Validates and stores a parsed body (`parseEventBody`), or a list of raw events (indexes 0..n-1). */
  async ingest(
    tenant: string,
    body: ParsedBody | readonly unknown[],
    source: IngestSource,
  ): Promise<IngestResult> {
    const parsed: ParsedBody = isParsed(body)
      ? body
      : { items: [...body], indexes: body.map((_, i) => i), rejected: [] };
    const now = this.clock.now();
    const ctx = {
      now,
      maxAgeMs: this.qualify.rules(tenant).longestLifetimeMs,
      maxFutureMs: this.options.maxFutureMs ?? 5 * MINUTE_MS,
      limits: this.options.limits,
      trusted: source.trusted,
      ip: source.ip,
      ua: source.ua,
      gpc: source.gpc,
      enrich: this.options.enrich,
    };
    const { events: valid, rejected } = validateBatch(parsed, ctx);
    const dropped = { consent: 0, optOut: 0 };
    const events: CollectedEvent[] = [];
    const refused: CollectedEvent[] = [];
    for (const event of valid) {
      const admission = this.options.gate.admit(tenant, event, source.optOutCookie === true);
      if (admission.ok) events.push(admission.event);
      else if (admission.reason === 'consent') {
        dropped.consent++;
        refused.push(event);
      } else dropped.optOut++;
    }
    // a known visitor's refusal is kept as consent state (a `consent` record; applying one twice is harmless)
    const known =
      this.options.profilesElsewhere === true ? ANY_UID_MAY_BE_KNOWN : this.qualify.profilesOf(tenant);
    const withdrawals = consentRecords(tenant, refused, events, known);
    const stored = events.length > 0 ? await this.store(tenant, events, now) : { events, duplicates: 0 };
    if (withdrawals.length > 0) await this.append(withdrawals);
    const { duplicates } = stored;
    this.rate.add(tenant, stored.events.length, this.clock.now());
    return { accepted: stored.events.length, rejected, dropped, duplicates, events: stored.events };
  }

  /** Appends records durably, then applies them; used for events and deletion requests alike. */
  async append(records: readonly LogRecord[]): Promise<number> {
    const max = this.options.maxInFlight ?? 200_000;
    if (this.inFlight + records.length > max) {
      throw new ServiceError(
        503,
        'overloaded',
        'the collector is writing as fast as the disk allows; retry shortly',
      );
    }
    this.inFlight += records.length;
    const weight = records.reduce((sum, record) => sum + recordWeight(record), 0);
    this.pace.started(weight);
    try {
      const last = await this.log.append(records).then(
        (seq) => (this.pace.finished(weight, true), seq),
        (error: unknown) => {
          this.pace.finished(weight, false);
          throw error;
        },
      );
      const at = this.clock.now();
      for (const record of records)
        if (record.kind === 'event' && record.event.id !== undefined)
          this.eventIds.accept(record.tenant, record.event.id, at);
      const elsewhere = this.options.appliedElsewhere;
      if (elsewhere !== undefined) {
        await elsewhere(last);
        return last;
      }
      const first = last - records.length + 1;
      records.forEach((record, i) => this.qualify.apply(first + i, record));
      return last;
    } finally {
      this.inFlight -= records.length;
    }
  }

  /**
   * Stores admitted events, each event ID once: retries (an ID accepted within the window, or earlier in
   * the batch) are counted as duplicates and left out; a concurrent request with the same IDs waits for
   * this one's outcome (`EventIdDedup`). Returns the events stored.
   */
  private async store(
    tenant: string,
    admitted: readonly CollectedEvent[],
    now: number,
  ): Promise<{ events: CollectedEvent[]; duplicates: number }> {
    const ids = this.eventIds;
    const claim = ids.claimNow(tenant, admitted, now) ?? (await ids.claim(tenant, admitted, now));
    try {
      const events = claim.fresh;
      const records: LogRecord[] = events.map((event) => ({ kind: 'event', tenant, event }));
      if (records.length > 0) {
        this.refuseLongWait(records.length);
        await this.append(records);
      }
      return { events, duplicates: claim.duplicates };
    } finally {
      claim.release();
    }
  }

  /**
   * Answers 503 at once when collected events would wait longer than `maxWaitMs` for the disk at its
   * current pace (`AppendPace`), instead of holding the request until the client times out and retries.
   * Only collection is refused for time: onboarding chunks and deletions wait their turn.
   */
  private refuseLongWait(weight: number): void {
    const max = this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (max <= 0) return;
    const wait = this.pace.waitMs(weight);
    if (wait <= max) return;
    const retryAfterS = Math.min(60, Math.max(1, Math.ceil(this.pace.drainMs() / 1000)));
    throw new ServiceError(
      503,
      'overloaded',
      `the disk is behind: these events would wait about ${Math.ceil(wait / 1000)} s to be stored; retry after ${retryAfterS} s`,
      { retryAfterS },
    );
  }
}

/** How long a collection request may wait for the disk before it is answered 503 instead. */
export const DEFAULT_MAX_WAIT_MS = 3_000;

function isParsed(body: ParsedBody | readonly unknown[]): body is ParsedBody {
  return !Array.isArray(body);
}
