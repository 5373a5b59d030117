import type { LogRecord } from '../log/event-log.ts';

/** How fast the estimate forgets: what was measured weighs 1/e after this many ms of busy log time. */
const TAU_MS = 2_000;
/** The best rate lately is forgotten faster, so that a disk that slows down is seen within seconds. */
const PEAK_TAU_MS = 1_000;

/**
 * How many events a log record stands for: an onboarding chunk and a chunk of an ID-link file count their
 * rows, so that the rate is in the same unit whatever the mix of records (one chunk of 10 000 rows is not
 * one slow "record").
 *
 * Example: `recordWeight({ kind: 'event', tenant: 't1', event })` -> 1.
 */
export function recordWeight(record: LogRecord): number {
  if (record.kind === 'onboard') return Math.max(1, record.stats.accepted);
  return record.kind === 'links' ? Math.max(1, record.rows.length) : 1;
}

/**
 * The pace of the event log, to answer early when a request would wait too long: the weight of records
 * (`recordWeight`) durably appended per millisecond of busy time (time with an append in flight), an
 * exponentially weighted rate that forgets in about `TAU_MS` of busy time (idle time is not counted: an
 * idle log shows no rate). A lightly loaded log shows its latency, not its bandwidth (one small append
 * per fdatasync), so the rate used is never below the best one append (or one group commit) reached
 * recently (forgotten faster): a burst after a quiet spell is judged by what the disk showed it
 * can do, and a disk that slows down is seen as slow within seconds.
 *
 * Times come from `now` (monotonic `performance.now()` by default), not the service clock: this is about
 * the real disk, and tests move the service clock by hand.
 *
 * Example:
 * ```ts
 * const pace = new AppendPace();
 * if (pace.waitMs(100) > 3000) throw new ServiceError(503, ...);
 * pace.started(100); await log.append(records); pace.finished(100, true);
 * ```
 */
export class AppendPace {
  /** the weighted sum of weight per ms, and the weights' total (so an estimate is unbiased from the start) */
  private sum = 0;
  private norm = 0;
  /** the best drain rate seen lately (weight per ms), forgetting faster than `sum` */
  private peak = 0;
  private inFlight = 0;
  /** when the busy clock was last read; when the log last went from idle to busy */
  private last: number;
  private busySince: number;
  /** the current group of completions: when its drain began, its weight, its last completion */
  private tickFrom = 0;
  private tickWeight = 0;
  private lastCompletion = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
    this.busySince = this.last;
  }

  /** An append of `weight` starts now. */
  started(weight: number): void {
    const now = this.now();
    this.advance(now);
    if (this.inFlight === 0) this.busySince = now;
    this.inFlight += weight;
  }

  /** An append of `weight` ended now: durably appended (`ok`) or failed. */
  finished(weight: number, ok: boolean): void {
    const now = this.now();
    this.advance(now);
    this.inFlight = Math.max(0, this.inFlight - weight);
    if (!ok) return;
    this.sum += weight / TAU_MS;
    // completions within a millisecond are one group commit, drained since the commit before it (or
    // since the log became busy): their rate is measured together
    if (now - this.lastCompletion >= 1) {
      this.tickFrom = Math.max(this.lastCompletion, this.busySince);
      this.tickWeight = 0;
    }
    this.tickWeight += weight;
    this.lastCompletion = now;
    this.peak = Math.max(this.peak, this.tickWeight / Math.max(1, now - this.tickFrom));
  }

  /** Weight per second the log is taken to drain; undefined before any append finished. */
  ratePerSecond(): number | undefined {
    if (this.norm === 0 || this.sum === 0) return undefined;
    return Math.max(this.sum / this.norm, this.peak) * 1000;
  }

  /**
   * How long (ms) a request of `weight` would wait for the disk: the weight in flight and its own, at the
   * estimated rate. 0 when nothing is in flight (a lone request is never refused for time: it would be
   * refused again and again) or when no rate is known yet.
   */
  waitMs(weight: number): number {
    const rate = this.ratePerSecond();
    if (this.inFlight === 0 || rate === undefined) return 0;
    return ((this.inFlight + weight) / rate) * 1000;
  }

  /** How long (ms) until what is in flight now has drained, at the estimated rate (0 when unknown). */
  drainMs(): number {
    const rate = this.ratePerSecond();
    return rate === undefined ? 0 : (this.inFlight / rate) * 1000;
  }

  /** Counts the busy time since the last reading: the estimates forget accordingly. */
  private advance(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    if (this.inFlight === 0 || elapsed === 0) return;
    const keep = Math.exp(-elapsed / TAU_MS);
    this.sum *= keep;
    this.norm = this.norm * keep + (1 - keep);
    this.peak *= Math.exp(-elapsed / PEAK_TAU_MS);
  }
}
