/**
 * What an API server asks of the partitions' engines on the workers' own routes (ADR 0035, 0038, 0039),
 * through the forwarder's internal calls: opt-outs carried out where the visitor may be, every segment's
 * size, a destination's members, a campaign's real-time counts, which partition holds an ID, an
 * onboarding job's progress; each answer merged as one engine holding every profile would give it.
 */
import { partitionOfVisitor } from '../log/nats/partition.ts';
import type { OptOutResult } from '../privacy/privacy-service.ts';
import type { CampaignCountsAsk, IdHoldersAsk, MembersAsk, OnboardProgressAsk } from './worker-client.ts';
import type { JobProgress } from '../onboard/onboard-jobs.ts';
import { sumProgress } from './onboard-placement.ts';
import { sumFunnels } from '../activate/campaigns/sum-funnels.ts';
import type { CollectedMembers } from '../activate/runs/collect-members.ts';
import type { MembersPart } from '../activate/runs/merge-members.ts';
import { mergeCollected } from '../activate/runs/merge-members.ts';
import type { Destination, FunnelReport } from '../core/activation/index.ts';

/** One internal call to a partition's engine (`Forwarder.internal`). */
export interface InternalCalls {
  internal<T>(p: number, path: string, payload: unknown, what: string): Promise<T>;
}

/**
 * Example:
 * ```ts
 * const asks = new PartitionAsks(forwarder, 8);
 * await asks.sizesOfAll('acme'); // [{ segmentId: 3, size: 1204 }, ...]
 * ```
 */
export class PartitionAsks {
  constructor(
    private readonly calls: InternalCalls,
    private readonly partitions: number,
  ) {}

  /**
   * Carries an opt-out out where the visitor may be: by uid, on its partition's engine; by another ID, on
   * every partition's (each registers it, the one holding the visitor deletes it). The first engine to
   * register it says `new`.
   */
  async optOut(tenant: string, idType: string, id: string, actor: string): Promise<OptOutResult> {
    const partitions =
      idType === 'uid' ? [partitionOfVisitor(tenant, id, this.partitions)] : this.everyPartition();
    const ask = { tenant, idType, id, actor };
    const results = await this.internalAll<OptOutResult>(
      partitions,
      '/opt-out',
      ask,
      'carry out the opt-out',
    );
    const deleted = results.find((r) => r.profileDeleted);
    return {
      optedOut: true,
      new: results.some((r) => r.new),
      profileDeleted: deleted !== undefined,
      deletion: deleted?.deletion ?? null,
    };
  }

  /**
   * Every segment's size over all partitions (each partition's exact size, added up by segment), for
   * the trend's recorded day: `Background` of a front records it in the shared catalog.
   */
  async sizesOfAll(tenant: string): Promise<{ segmentId: number; size: number }[]> {
    const sums = new Map<number, number>();
    const answers = await this.internalAll<{ segmentId: number; size: number }[]>(
      this.everyPartition(),
      '/sizes',
      { tenant },
      'size the segments',
    );
    for (const { segmentId, size } of answers.flat()) sums.set(segmentId, (sums.get(segmentId) ?? 0) + size);
    return [...sums].map(([segmentId, size]) => ({ segmentId, size }));
  }

  /**
   * A destination's members for an API server's batch run (ADR 0038): each partition's members among its
   * profiles at `now`, asked of every partition at once, merged as one engine holding every profile
   * would collect them (`mergeCollected`).
   */
  async membersOf(
    tenant: string,
    destination: Destination,
    now: number,
    segments?: readonly string[],
  ): Promise<CollectedMembers> {
    const ask: MembersAsk = {
      tenant,
      destination: destination.code,
      now,
      ...(segments === undefined ? {} : { segments }),
    };
    const what = `give its members of '${destination.code}'`;
    const parts = await this.internalAll<MembersPart>(this.everyPartition(), '/members', ask, what);
    return mergeCollected(parts, destination);
  }

  /**
   * A campaign's real-time decisions on every partition, by destination, added up (ADR 0038): the
   * engines that enrich bid requests and answer page targeting count them.
   */
  async campaignCounts(
    tenant: string,
    campaign: string,
    destinations: readonly string[],
  ): Promise<Record<string, FunnelReport>> {
    const ask: CampaignCountsAsk = { tenant, campaign, destinations };
    const what = `count campaign '${campaign}'`;
    const parts = await this.internalAll<Record<string, FunnelReport>>(
      this.everyPartition(),
      '/campaign-counts',
      ask,
      what,
    );
    const out: Record<string, FunnelReport> = {};
    for (const d of destinations)
      out[d] = sumFunnels(parts.map((part) => part[d]).filter((f) => f !== undefined));
    return out;
  }

  /**
   * For a chunk of a file an API server onboards (ADR 0039): per ID, the lowest partition whose profiles
   * hold it, or -1, asking every partition at once.
   */
  async idHolders(tenant: string, ids: readonly [string, string][]): Promise<number[]> {
    const ask: IdHoldersAsk = { tenant, ids: [...ids] };
    const parts = await this.internalAll<number[]>(this.everyPartition(), '/id-holders', ask, 'find IDs');
    const holders = new Array<number>(ids.length).fill(-1);
    parts.forEach((held, p) => {
      for (const i of held) if (holders[i] === -1) holders[i] = p;
    });
    return holders;
  }

  /** An onboarding job's progress over every partition, added up (`sumProgress`). */
  async onboardProgress(tenant: string, job: string): Promise<JobProgress | undefined> {
    const ask: OnboardProgressAsk = { tenant, job };
    const what = `report onboarding job '${job}'`;
    const parts = await this.internalAll<JobProgress | null>(
      this.everyPartition(),
      '/onboard-progress',
      ask,
      what,
    );
    return sumProgress(parts);
  }

  private everyPartition(): number[] {
    return Array.from({ length: this.partitions }, (_, p) => p);
  }

  /** `internal` for each of `partitions` at once; the answers in their order. */
  private internalAll<T>(
    partitions: readonly number[],
    path: string,
    payload: unknown,
    what: string,
  ): Promise<T[]> {
    return Promise.all(partitions.map((p) => this.calls.internal<T>(p, path, payload, what)));
  }
}
