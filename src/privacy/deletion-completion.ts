import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import type { EventLog } from '../log/event-log.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { eraseExportRows } from './erase-export-rows.ts';
import { eraseOnboardingUploads } from './erase-onboarding-uploads.ts';
import type { PendingDeletion } from './privacy-service.ts';
import { finishDeletions } from './privacy-service.ts';

/** The snapshots, as a deletion uses them (`Snapshots` implements it). */
export interface SnapshotsAfterDeletion {
  /** a snapshot is due at the next sweep: older ones still hold the deleted visitors */
  requestSoon(): void;
  /** removes the snapshot files older than `seq` */
  removeOlderThan(seq: number): void;
}

/**
 * What completing a deletion reaches.
 * Example: `{ log, catalog, dataDir: '/data', snapshots, eraseMemberStates: (t, ids) => eraseMemberStates(dataDir, t, ids) }`
 */
export interface DeletionCompletionDeps {
  log: EventLog;
  catalog: Pick<Catalog, 'eraseFromDeadLetters'>;
  dataDir: string;
  snapshots: SnapshotsAfterDeletion;
  /**
   * Takes the visitor's IDs out of the tenant's activation member state (what each destination's partner
   * holds, kept for delta runs). Activation owns that state and implements this port (`eraseMemberStates`
   * of `activate/runs/member-state.ts`); the composition root passes it in, so privacy never imports
   * activation.
   */
  eraseMemberStates: (tenant: string, ids: ReadonlySet<string>) => Promise<unknown>;
  /**
   * Stops the tenant's activation runs in progress, resolving when they no longer write: a run that read
   * its members before the deletion would otherwise write the visitor into an export, a dead letter or its
   * state after the erasure.
   */
  stopRuns?: (tenant: string) => Promise<void>;
  /**
   * Where file exports written elsewhere are told of the deletion: a scaled-out deployment's engine has
   * none of its own, the API servers that ran the file destinations have them (ADR 38). It must stop
   * their runs of the tenant and rewrite their files without the visitor, as this process does its own.
   */
  exportsElsewhere?: (tenant: string, ids: ReadonlySet<string>) => Promise<void>;
}

const KEPT_FILE = 'kept-deletions.json';

/**
 * Carries a deletion (its `delete` record durable in the log) to every copy of the visitor: its raw
 * events in the log, the payloads of dead letters, the activation member state, the file exports
 * written, and the uploads and job files of onboarding. The `delete` record itself stays in the log
 * until a snapshot taken after it is written and every older snapshot (which may hold the visitor) is
 * removed: a restart from an older snapshot replays the record, so a crash at any point still ends with
 * the visitor gone, and no deletion makes the next start replay the whole log. The seqs of the records
 * so kept (numbers only) are in `DATA/privacy/kept-deletions.json`.
 *
 * Example:
 * ```ts
 * const completion = await DeletionCompletion.open({ log, catalog, dataDir, snapshots, eraseMemberStates });
 * await completion.complete([{ seq, tenant: 't1', uid: 'c-123', ids: { maid: '6d92078a' } }]);
 * const taken = snapshots.take();
 * if (taken.taken) await completion.afterSnapshot(taken.seq);
 * ```
 */
export class DeletionCompletion {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: DeletionCompletionDeps,
    private kept: number[],
  ) {}

  /** Reads the seqs of the `delete` records kept in the log. */
  static async open(deps: DeletionCompletionDeps): Promise<DeletionCompletion> {
    let kept: number[] = [];
    try {
      const json: unknown = JSON.parse(await readFile(keptPath(deps.dataDir), 'utf8'));
      if (Array.isArray(json)) kept = json.filter((n): n is number => Number.isSafeInteger(n));
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    }
    return new DeletionCompletion(deps, kept);
  }

  /** Whether the `delete` record at `seq` was completed (and is only waiting for a snapshot). */
  isKept(seq: number): boolean {
    return this.kept.includes(seq);
  }

  /**
   * Erases every copy of the visitors of `pending` (idempotent: a deletion interrupted by a crash is
   * completed again at start), then records their `delete` records as kept. Resolves the raw events
   * erased from the log.
   */
  async complete(pending: readonly PendingDeletion[]): Promise<{ erased: number }> {
    if (pending.length === 0) return { erased: 0 };
    const { erased } = await finishDeletions(this.deps.log, pending, { keepRecords: true });
    for (const tenant of new Set(pending.map((d) => d.tenant))) await this.deps.stopRuns?.(tenant);
    for (const deletion of pending) await this.eraseCopies(deletion);
    this.kept.push(...pending.map((d) => d.seq));
    await this.save();
    this.deps.snapshots.requestSoon();
    return { erased };
  }

  /**
   * Called once a snapshot at `seq` is written: the snapshots older than it are removed, then the kept
   * `delete` records it covers are erased from the log (in that order: a crash between leaves a record
   * that is erased at the next start).
   */
  async afterSnapshot(seq: number): Promise<void> {
    const covered = new Set(this.kept.filter((s) => s <= seq));
    if (covered.size === 0) return;
    this.deps.snapshots.removeOlderThan(seq);
    await this.deps.log.erase((record, s) => record.kind === 'delete' && covered.has(s));
    this.kept = this.kept.filter((s) => !covered.has(s));
    await this.save();
  }

  private async eraseCopies(deletion: PendingDeletion): Promise<void> {
    const { tenant } = deletion;
    const { dataDir } = this.deps;
    const values = [
      deletion.uid,
      ...Object.values(deletion.ids),
      ...(deletion.more ?? []).map(([, value]) => value),
    ].filter((id) => id !== '');
    const ids = new Set(values);
    await this.deps.catalog.eraseFromDeadLetters(tenant, values);
    await this.deps.eraseMemberStates(tenant, ids);
    await eraseExportRows(join(dataDir, 'exports', tenant), ids);
    await this.deps.exportsElsewhere?.(tenant, ids);
    await eraseOnboardingUploads(join(dataDir, 'onboarding'), tenant, ids);
  }

  /** Writes the kept seqs, one write after the other. */
  private save(): Promise<void> {
    const text = JSON.stringify([...this.kept].sort((a, b) => a - b));
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        await mkdir(join(this.deps.dataDir, 'privacy'), { recursive: true });
        await writeFileAtomic(keptPath(this.deps.dataDir), text);
      });
    return this.saving;
  }
}

function keptPath(dataDir: string): string {
  return join(dataDir, 'privacy', KEPT_FILE);
}
