import type { Consent } from '../core/event.ts';

/**
 * The latest consent of each profile, by event time. Consent objects are kept only for profiles that sent
 * one; the rest hold nothing. Example: `column.record(p, { gdpr: 1, tcf: 'CQ...' }, ts); column.of(p)`.
 */
export class ConsentColumn {
  private readonly consents: (Consent | undefined)[] = [];
  private readonly times: (number | undefined)[] = [];

  record(p: number, consent: Consent, ts: number): void {
    const before = this.times[p];
    if (before !== undefined && ts < before) return;
    this.consents[p] = consent;
    this.times[p] = ts;
  }

  of(p: number): Consent | undefined {
    return this.consents[p];
  }

  clear(p: number): void {
    if (p < this.consents.length) {
      this.consents[p] = undefined;
      this.times[p] = undefined;
    }
  }
}
