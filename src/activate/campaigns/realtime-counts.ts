import type { FunnelReport } from '../../core/activation/index.ts';
import { Funnel } from '../../core/activation/index.ts';
import type { RealtimeDecision } from '../realtime-activation.ts';
import type { Campaign } from './campaign.ts';
import { inFlight } from './campaign.ts';

/**
 * Real-time delivery counted per campaign and destination, in memory (since the process started), one
 * `Funnel` each. A decision counts for every campaign in flight that names the destination and one of
 * the segments the visitor was offered (mapped, allowed, in flight): eligible; then lost at `consented`
 * with the consent reason, or consented, hasId (the request or page carries the ID), sent and
 * acknowledged (in real time the answer is the delivery). Unknown visitors are in no audience and are
 * not counted.
 *
 * Example:
 * ```ts
 * const counts = new RealtimeCounts((tenant) => campaigns.cached(tenant));
 * counts.record(decision); // from RealtimeActivation's onDecision hook
 * counts.report('t1', 'xmas', 'ssp').steps[0].count; // 1
 * ```
 */
export class RealtimeCounts {
  private readonly funnels = new Map<string, Funnel>();

  constructor(private readonly campaignsOf: (tenant: string) => readonly Campaign[]) {}

  record(decision: RealtimeDecision): void {
    const { tenant, destination, verdict, offered, at } = decision;
    if (verdict.outcome !== 'sent' && verdict.outcome !== 'no-consent') return;
    for (const campaign of this.campaignsOf(tenant)) {
      if (!campaign.destinations.includes(destination.code) || !inFlight(campaign, at)) continue;
      if (!offered.some((segment) => campaign.segments.includes(segment))) continue;
      const funnel = this.funnelOf(tenant, campaign.code, destination.code);
      funnel.pass('eligible');
      if (verdict.outcome === 'no-consent') {
        funnel.lose('consented', verdict.reason);
        continue;
      }
      for (const step of ['consented', 'hasId', 'sent', 'acknowledged'] as const) funnel.pass(step);
    }
  }

  /** The funnel of a campaign and destination; all zeros when nothing was counted. */
  report(tenant: string, campaign: string, destination: string): FunnelReport {
    return (this.funnels.get(key(tenant, campaign, destination)) ?? new Funnel()).report();
  }

  /** Drops a campaign's counts (it was deleted: a new campaign with its code starts from zero). */
  forget(tenant: string, campaign: string): void {
    const prefix = key(tenant, campaign, '');
    for (const k of [...this.funnels.keys()]) if (k.startsWith(prefix)) this.funnels.delete(k);
  }

  private funnelOf(tenant: string, campaign: string, destination: string): Funnel {
    const k = key(tenant, campaign, destination);
    let funnel = this.funnels.get(k);
    if (funnel === undefined) {
      funnel = new Funnel();
      this.funnels.set(k, funnel);
    }
    return funnel;
  }
}

function key(tenant: string, campaign: string, destination: string): string {
  return `${tenant}\n${campaign}\n${destination}`;
}
