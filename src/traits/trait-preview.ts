import type { Clock } from '../core/clock.ts';
import { compileTraitRule } from '../core/rules/index.ts';
import type { EventLog } from '../log/event-log.ts';
import type { RuleReader } from '../qualify/ports.ts';
import { checkRuleInput } from '../qualify/rule-input.ts';
import { checkContextOf } from '../qualify/rules-loader.ts';

/**
 * How far back a preview reads: the tenant's newest `maxEvents` events, none older than `maxAgeMs`, in
 * at most the newest `maxRecords` records of the log (all tenants'), so that its cost does not grow
 * with other tenants' traffic.
 */
export interface PreviewBounds {
  maxEvents: number;
  maxAgeMs: number;
  maxRecords: number;
}

/** The default bounds: the latest 10,000 events of the tenant, at most 24 hours old, in the last million records. */
export const PREVIEW_BOUNDS: PreviewBounds = {
  maxEvents: 10_000,
  maxAgeMs: 24 * 3_600_000,
  maxRecords: 1_000_000,
};

/**
 * What a preview found. `from`/`to` are the times the oldest and newest event read reached the log
 * (`null` when none was read). `limitedBy` says what ended the window: `events` (more events than
 * `maxEvents` were in the age window: only the newest were read), `age` (the log holds older records,
 * not read), `records` (the newest `maxRecords` records of the log were read, none before them) or
 * `none` (the whole log was read).
 */
export interface TraitPreviewAnswer {
  matched: number;
  scanned: number;
  from: string | null;
  to: string | null;
  window: { maxEvents: number; maxAgeHours: number; limitedBy: 'events' | 'age' | 'records' | 'none' };
}

/** One event read: when it reached the log and whether the rule matched it. */
interface Seen {
  at: number;
  matched: boolean;
}

/**
 * How many of a tenant's recent events a trait rule would match, read from the event log itself, so a
 * deleted visitor's events (erased from the log) never count and no copy of events is kept. The rule is
 * checked as `POST /v1/traits` checks it: one that does not check is the same `422` with every error.
 *
 * Example:
 * `await new TraitPreview(log, qualify, clock).preview('t1', { rule: 'url.path startsWith "/pricing"' })`
 * -> `{ matched: 3, scanned: 7, from: '2026-11-20T09:00:00.000Z', to: '...', window: { maxEvents: 10000, maxAgeHours: 24, limitedBy: 'none' } }`
 */
export class TraitPreview {
  constructor(
    private readonly log: EventLog,
    private readonly rules: RuleReader,
    private readonly clock: Clock,
    private readonly bounds: PreviewBounds = PREVIEW_BOUNDS,
  ) {}

  /** Tests the rule against the tenant's newest events (`limit`: fewer than the bound's `maxEvents`). */
  async preview(tenant: string, request: { rule: unknown; limit?: number }): Promise<TraitPreviewAnswer> {
    const { rule } = checkRuleInput(request.rule, checkContextOf(this.rules.rules(tenant), 'event'));
    const test = compileTraitRule(rule);
    const limit = Math.min(request.limit ?? this.bounds.maxEvents, this.bounds.maxEvents);
    const cutoff = this.clock.now() - this.bounds.maxAgeMs;
    // newest chunks first; each chunk twice the records of the last, until enough events are read
    const chunks: Seen[][] = [];
    let read = 0;
    let olderLeft = false;
    const newest = this.log.lastSeq();
    const oldest = Math.max(1, newest - this.bounds.maxRecords + 1);
    let hi = newest;
    for (let span = Math.max(2 * limit, 1024); hi >= oldest && read <= limit; span *= 2) {
      const lo = Math.max(oldest, hi - span + 1);
      const top = hi;
      const chunk: Seen[] = [];
      await this.log.replay(lo, (seq, record, at) => {
        if (seq > top) return;
        if (at <= cutoff) olderLeft = true;
        else if (record.kind === 'event' && record.tenant === tenant)
          chunk.push({ at, matched: test(record.event) });
      });
      chunks.push(chunk);
      read += chunk.length;
      // append times grow with the seq: a record older than the cutoff here means all before it are too
      if (olderLeft) break;
      hi = lo - 1;
    }
    const kept = chunks.reverse().flat().slice(-limit);
    const first = kept[0];
    const last = kept[kept.length - 1];
    return {
      matched: kept.filter((s) => s.matched).length,
      scanned: kept.length,
      from: first === undefined ? null : new Date(first.at).toISOString(),
      to: last === undefined ? null : new Date(last.at).toISOString(),
      window: {
        maxEvents: limit,
        maxAgeHours: this.bounds.maxAgeMs / 3_600_000,
        limitedBy:
          read > limit ? 'events' : olderLeft ? 'age' : oldest > 1 && hi < oldest ? 'records' : 'none',
      },
    };
  }
}
