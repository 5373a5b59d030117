import type { CollectedEvent } from '../core/event.ts';
import type { Clock } from '../core/clock.ts';
import { MINUTE_MS } from '../core/clock.ts';
import { ServiceError } from '../core/service-error.ts';
import type { EventLog, LogRecord } from '../log/event-log.ts';
import type { QualifyService } from '../qualify/qualify-service.ts';
import type { CollectLimits, Enricher, ParsedBody, Rejection } from '../collect/index.ts';
import { validateBatch } from '../collect/index.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';
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
}

/**
 * The collection pipeline after the HTTP edge: validate and enrich each event on its own, drop those
 * whose visitor opted out or gave no consent to be stored, append the rest to the log (acknowledged only
 * once durable), then qualify them. Bad events become
 * rejections with their index and reason; the good ones beside them are kept.
 *
 * Example: `await ingest.ingest('t1', [{ uid: 'c-1', url: 'https://x.example/pricing' }], { trusted: true })`.
 */
export class IngestService {
  private inFlight = 0;

  constructor(
    private readonly log: EventLog,
    private readonly qualify: QualifyService,
    private readonly clock: Clock,
    private readonly options: IngestOptions,
  ) {}

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
    // a known visitor's refusal is kept as consent state (after the events: on equal times it wins)
    const withdrawals = consentRecords(tenant, refused, events, this.qualify.profilesOf(tenant));
    if (events.length > 0) await this.store(tenant, events);
    if (withdrawals.length > 0) await this.append(withdrawals);
    return { accepted: events.length, rejected, dropped, events };
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
    try {
      const last = await this.log.append(records);
      const first = last - records.length + 1;
      records.forEach((record, i) => this.qualify.apply(first + i, record));
      return last;
    } finally {
      this.inFlight -= records.length;
    }
  }

  private async store(tenant: string, events: readonly CollectedEvent[]): Promise<void> {
    await this.append(events.map((event) => ({ kind: 'event', tenant, event })));
  }
}

function isParsed(body: ParsedBody | readonly unknown[]): body is ParsedBody {
  return !Array.isArray(body);
}
