import { join } from 'node:path';
import type { ActivationRun, Catalog } from '../../catalog/catalog.ts';
import type { Destination, FunnelReport, RetryPolicy } from '../../core/activation/index.ts';
import type { BatchOutcome } from './http-push.ts';
import { pushBatches } from './http-push.ts';
import type { HttpClient } from './http-client.ts';
import type { FileExportResult } from './file-export.ts';
import { writeFileExport } from './file-export.ts';
import type { GatherMembers } from './collect-members.ts';
import type { MemberMap } from './member-state.ts';
import { MemberState } from './member-state.ts';
import type { RunStateStore } from './run-state-store.ts';
import { planChanges } from './plan-changes.ts';
import type { TokenBucket } from './token-bucket.ts';

/**
 * The report saved with a run. Example: `{ kind: 'file', mode: 'delta', baseRunId: 'r1', counts: { members: 40,
 *   added: 3, updated: 1, removed: 2, unchanged: 36, rows: 6, files: 1 }, funnel, files: [...] }`
 */
export interface RunReport {
  kind: 'http' | 'file';
  mode: 'full' | 'delta';
  /** the last good run a delta is based on (none: every member is added) */
  baseRunId?: string;
  /** the campaign's segments the run was limited to */
  segments?: string[];
  counts: Record<string, number>;
  funnel: FunnelReport;
  files?: FileExportResult['files'];
  manifest?: string;
  marker?: string;
  /** the first 1000 batches */
  batches?: BatchOutcome[];
  error?: string;
}

/**
 * What a run needs besides its destination.
 * Example: `{ gather, runState, catalog, dataDir, http, policy, timeoutMs, bucketFor, signal }`
 */
export interface DeliveryContext {
  /** the members now (`collectMembers` over this process's profiles, or every partition's) */
  gather: GatherMembers;
  /** where the last good run's members are kept for the next delta */
  runState: RunStateStore;
  catalog: Pick<Catalog, 'addDeadLetter'>;
  dataDir: string;
  http: HttpClient;
  policy: RetryPolicy;
  timeoutMs: number;
  bucketFor(tenant: string, destination: Destination): TokenBucket | undefined;
  signal: AbortSignal;
}

type BatchDestination = Extract<Destination, { kind: 'http' | 'file' }>;

/**
 * Does one run: the members now, the changes against the last good run (delta) or everyone (full), the
 * files or the batches, the funnel through `acknowledged`, and, when nothing was dead-lettered, the new
 * last good member set. Throws on an unexpected failure (the runner records the run as failed).
 *
 * Example: `const { status, report } = await deliverRun(ctx, 't1', hook, run);`
 */
export async function deliverRun(
  ctx: DeliveryContext,
  tenant: string,
  destination: BatchDestination,
  run: ActivationRun,
  segments?: readonly string[],
): Promise<{ status: ActivationRun['status']; report: RunReport }> {
  const startedAt = Date.parse(run.startedAt);
  const collected = await ctx.gather(tenant, destination, startedAt, segments, ctx.signal);
  const { members, funnel } = collected;
  const state = new MemberState(ctx.runState, tenant, destination.code);
  const base: { runId?: string; members: MemberMap } =
    run.mode === 'delta' ? await state.base(run.runId) : { members: new Map<string, readonly string[]>() };
  const plan = planChanges(run.mode, base.members, members);
  if (members.length > 0) funnel.pass('sent', members.length);
  const report: RunReport = {
    kind: destination.kind,
    mode: run.mode,
    ...(base.runId === undefined ? {} : { baseRunId: base.runId }),
    ...(segments === undefined ? {} : { segments: [...segments] }),
    counts: {
      members: members.length,
      added: plan.added,
      updated: plan.updated,
      removed: plan.removed,
      unchanged: plan.unchanged,
      // the profiles read: those the audience index has in the mapped segments, not the whole tenant
      profilesRead: collected.visited,
    },
    funnel: funnel.report(),
  };
  let status: ActivationRun['status'] = 'succeeded';
  if (destination.kind === 'file') {
    const written = await writeFileExport({
      root: join(ctx.dataDir, 'exports', tenant),
      destination: destination.code,
      idType: destination.idType,
      settings: destination.settings,
      runId: run.runId,
      mode: run.mode,
      changes: plan.changes,
      timestamp: startedAt,
      signal: ctx.signal,
    });
    if (members.length > 0) funnel.pass('acknowledged', members.length);
    Object.assign(report, { files: written.files, manifest: written.manifest, marker: written.marker });
    Object.assign(report.counts, { rows: written.rows, files: written.files.length });
  } else {
    const bucket = ctx.bucketFor(tenant, destination);
    const outcomes = await pushBatches({
      tenant,
      destination: destination.code,
      settings: destination.settings,
      runId: run.runId,
      changes: plan.changes,
      headers: headersOf(destination.settings),
      client: ctx.http,
      ...(bucket === undefined ? {} : { bucket }),
      policy: ctx.policy,
      timeoutMs: ctx.timeoutMs,
      catalog: ctx.catalog,
      signal: ctx.signal,
    });
    let lost = 0;
    for (const o of outcomes) {
      if (o.status === 'dead-lettered' && o.added > 0) {
        funnel.lose('acknowledged', `dead-lettered: ${o.reason ?? 'unknown'}`, o.added);
        lost += o.added;
      }
    }
    if (members.length - lost > 0) funnel.pass('acknowledged', members.length - lost);
    const dead = outcomes.filter((o) => o.status === 'dead-lettered').length;
    if (dead > 0) status = 'partial';
    report.batches = outcomes.slice(0, 1000);
    Object.assign(report.counts, { batches: outcomes.length, deadLettered: dead });
  }
  report.funnel = funnel.report();
  ctx.signal.throwIfAborted(); // cancelled: the next delta is based on the last good run still
  if (status === 'succeeded') {
    await state.commit(run.runId, new Map(members.map((m) => [m.id, m.segmentIds])));
  }
  return { status, report };
}

/**
 * The headers a destination's settings hold for its partner: `authorization` (a string) and `headers`
 * (an object of strings), when present.
 *
 * Example: `headersOf({ url, batchSize: 100, authorization: 'Bearer s3cr3t' })` -> `{ authorization: 'Bearer s3cr3t' }`
 */
export function headersOf(settings: object): Record<string, string> {
  const out: Record<string, string> = {};
  const record = settings as Record<string, unknown>;
  const extra = record.headers;
  if (typeof extra === 'object' && extra !== null) {
    for (const [name, value] of Object.entries(extra)) if (typeof value === 'string') out[name] = value;
  }
  if (typeof record.authorization === 'string') out.authorization = record.authorization;
  return out;
}
